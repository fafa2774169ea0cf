import type { z } from 'zod';
import { excerpt } from '../errors/excerpt.js';

export interface FieldIssue {
  /** Dotted path, e.g. `messages.0.content`. */
  path: string;
  message: string;
}

/** Longest issue path or message: both may hold a caller's key (`Unrecognized key: "…"`). */
export const MAX_ISSUE_TEXT = 200;

/** An issue whose path and message are bounded, whatever keys the caller sent. */
export function fieldIssue(path: string, message: string): FieldIssue {
  return { path: excerpt(path, MAX_ISSUE_TEXT), message: excerpt(message, MAX_ISSUE_TEXT) };
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
    // The shape's own fields only: `constructor` or `__proto__` would find Object.prototype's.
    if (!Object.hasOwn(shape, key) || required.includes(key)) continue;
    check(shape[key] as z.ZodType, key, record[key], issues);
  }
  return issues;
}

function check(schema: z.ZodType, key: string, field: unknown, issues: FieldIssue[]): void {
  const result = schema.safeParse(field);
  if (result.success) return;
  for (const issue of result.error.issues) {
    issues.push(fieldIssue([key, ...issue.path.map(String)].join('.'), issue.message));
  }
}
