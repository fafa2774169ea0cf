import { z } from 'zod';
import { describeValue, mustBe, objectErrors, unknownKeysMessage } from '../errors/option-messages.js';
import type { Pattern } from './pattern.js';
import type { RuleMatch } from './rule-match.js';

const GLOB = "a non-empty string ('*' matches any run of characters)";
const PATTERN = `${GLOB}, a non-empty list of them, or { not: ... } of either`;

type Ctx = z.RefinementCtx;
const fail = (ctx: Ctx, message: string, path: Array<string | number> = []) => ctx.addIssue({ code: 'custom', message, path });

/** A glob or a list of globs, each problem at its own path. */
function checkGlobs(value: unknown, ctx: Ctx, path: Array<string | number>, expected: string): void {
  if (typeof value === 'string') {
    if (value.length === 0) fail(ctx, `must be ${GLOB}, got an empty string (a lone '*' matches anything)`, path);
    return;
  }
  if (!Array.isArray(value)) {
    fail(ctx, `must be ${expected}, got ${describeValue(value)}`, path);
    return;
  }
  if (value.length === 0) fail(ctx, `must list at least one glob, got an empty list (it would match ${path.at(-1) === 'not' ? 'every call' : 'no call'})`, path);
  for (const [i, entry] of value.entries()) {
    if (typeof entry !== 'string') fail(ctx, `must be ${GLOB}, got ${describeValue(entry)}`, [...path, i]);
    else if (entry.length === 0) fail(ctx, `must be ${GLOB}, got an empty string`, [...path, i]);
  }
}

/** A `Pattern` as a config gives it: any value, so that each problem can say what is wrong. */
function checkPattern(value: unknown, ctx: Ctx): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    checkGlobs(value, ctx, [], PATTERN);
    return;
  }
  const extra = Object.keys(value).filter((key) => key !== 'not');
  if (!('not' in value)) {
    fail(ctx, extra.length === 0 ? `must be ${PATTERN}, got an empty object` : unknownKeysMessage(extra, ['not']));
    return;
  }
  if (extra.length > 0) fail(ctx, `${unknownKeysMessage(extra, [])}: { not: ... } takes nothing else`);
  checkGlobs(value.not, ctx, ['not'], `${GLOB} or a non-empty list of them`);
}

/** A `Pattern`, told apart by its type so that a problem says what is wrong (a plain union would only say "Invalid input"). */
export const patternSchema: z.ZodType<Pattern> = z.custom<Pattern>().superRefine((value, ctx) => checkPattern(value, ctx));

const patternField = patternSchema.optional();

const ruleMatchShape = {
  principals: patternField,
  teams: patternField,
  roles: patternField,
  models: patternField,
  routes: patternField,
  tags: patternField,
  metadata: z
    .record(z.string(), patternSchema, mustBe('an object of metadata keys, each with a pattern'))
    .superRefine((metadata, ctx) => {
      if (Object.hasOwn(metadata, '')) fail(ctx, 'has an empty key: a metadata key must name one the calls set');
    })
    .optional(),
  principal: z.string(mustBe("a glob on the principal id ('*' matches any run of characters)")).min(1, `must be ${GLOB}, got an empty string`).optional(),
} satisfies { [K in keyof Required<RuleMatch>]: z.ZodType<RuleMatch[K]> };

/** The `when` of any rule: a strict object, so that a misspelt key is named with the closest known one. */
export const ruleMatchSchema = z
  .object(ruleMatchShape, objectErrors(ruleMatchShape, '{ principals?, teams?, roles?, models?, routes?, tags?, metadata?, principal? }'))
  .strict();
