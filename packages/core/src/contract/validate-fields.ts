import type { z } from 'zod';

export interface FieldIssue {
  /** Dotted path, e.g. `messages.0.content`. */
  path: string;
  message: string;
}

/**
 * Checks an object against a zod shape one present field at a time. It accepts and
 * rejects exactly what `z.object(shape)` does, but costs what the request holds rather
 * than what the shape lists: OpenAI's chat request has some fifty optional fields and a
 * typical call sets three. Unknown fields pass (they travel on to the adapter).
 */
export function validateFields(
  shape: Readonly<Record<string, z.ZodType>>,
  required: readonly string[],
  value: unknown,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({ path: '', message: 'Invalid input: expected an object' });
    return issues;
  }
  const record = value as Record<string, unknown>;
  for (const key of required) check(shape[key] as z.ZodType, key, record[key], issues);
  for (const key in record) {
    const schema = shape[key];
    if (schema && !required.includes(key)) check(schema, key, record[key], issues);
  }
  return issues;
}

function check(schema: z.ZodType, key: string, field: unknown, issues: FieldIssue[]): void {
  const result = schema.safeParse(field);
  if (result.success) return;
  for (const issue of result.error.issues) {
    issues.push({ path: [key, ...issue.path.map(String)].join('.'), message: issue.message });
  }
}
