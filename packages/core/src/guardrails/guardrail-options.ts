// The config of guardrails (docs/guardrails.md): each built-in and custom guardrail's options, and their schema.
import { z } from 'zod';
import { timerMsSchema } from '../contract/call-options.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParamsNonStreaming } from '../contract/chat-params.js';
import type { CallOptions, Principal, RequestMetadata } from '../contract/call-options.js';
import { mustBe, objectErrors } from '../errors/option-messages.js';
import type { RuleMatch } from '../rules/rule-match.js';
import { ruleMatchSchema } from '../rules/rule-match-schema.js';
import type { GuardrailPhase } from '../errors/guardrail-errors.js';
import type { GuardedText, TextRole } from './guarded-text.js';
import type { RedactionStyle } from './redaction.js';

/** The kinds of personal data the `pii` guardrail knows. */
export const PII_ENTITIES = ['email', 'phone_number', 'payment_card', 'iban', 'us_ssn', 'ipv4', 'ipv6'] as const;
export type PiiEntity = (typeof PII_ENTITIES)[number];

/** A regular expression as a config gives it: a `RegExp`, or its source as a string. */
export type PatternSource = string | RegExp;

interface GuardrailBase {
  /** Unique; errors, events and the audit log name the guardrail by it. */
  name: string;
  /** The calls it applies to (the shared rule matcher, docs/governance.md); omit: every call. Guardrails run before a target is picked, so `models` is not allowed: use `routes`. */
  when?: RuleMatch | undefined;
  /** Where it runs: on what the caller sends, on the answer, or both (the default depends on the type). */
  on?: 'input' | 'output' | 'both' | undefined;
  /** `enforce` (default): blocks and changes text; `audit`: reports what it would do, changes nothing; `off`: not run. */
  mode?: 'enforce' | 'audit' | 'off' | undefined;
  /** When it throws or runs past `timeoutMs`: refuse the call (`'fail-closed'`, the default) or let it pass (`'fail-open'`). */
  onError?: 'fail-closed' | 'fail-open' | undefined;
  /** The longest an asynchronous check may take, in ms (default 5000); built-in checks are synchronous. */
  timeoutMs?: number | undefined;
  /** On input: the roles of the messages it reads (default: every role; `prompt-injection`: `['user', 'tool', 'input']`). */
  roles?: TextRole[] | undefined;
}

export interface PiiGuardrail extends GuardrailBase {
  type: 'pii';
  /** The kinds to look for (default: all of `PII_ENTITIES`). */
  entities?: PiiEntity[] | undefined;
  /** `redact` (default): replace what it finds; `block`: refuse the call; `flag`: report only. */
  action?: 'redact' | 'block' | 'flag' | undefined;
  /** How `redact` replaces: `placeholder` (default, `[EMAIL_1]`), `mask` (`****@****.***`), or `reversible` (placeholders on input, restored in the answer). */
  redaction?: RedactionStyle | undefined;
  /** A finding whose text matches one of these is left alone (e.g. `/@example\.com$/`). */
  allow?: PatternSource[] | undefined;
  /** The country phone numbers without a `+` prefix are read for, ISO 3166 alpha-2 (default `'US'`). */
  defaultCountry?: string | undefined;
}

export interface SecretsGuardrail extends GuardrailBase {
  type: 'secrets';
  /** The kinds of secret to look for (default: every kind the detector knows; docs/guardrails.md lists them). */
  kinds?: string[] | undefined;
  /** `block` (default), `redact`, or `flag`. */
  action?: 'block' | 'redact' | 'flag' | undefined;
  /** How `redact` replaces (default `placeholder`); secrets are never restored. */
  redaction?: 'placeholder' | 'mask' | undefined;
  allow?: PatternSource[] | undefined;
}

export interface PromptInjectionGuardrail extends GuardrailBase {
  type: 'prompt-injection';
  /** The score at which text counts as an injection attempt (default: the detector's, docs/guardrails.md). */
  threshold?: number | undefined;
  /** `block` (default) or `flag`. */
  action?: 'block' | 'flag' | undefined;
}

/** A named pattern of a regex list; a bare pattern is named by its source. */
export type NamedPattern = PatternSource | { name: string; pattern: PatternSource };

export interface RegexGuardrail extends GuardrailBase {
  type: 'regex';
  /** Text matching any of these is found. */
  deny: NamedPattern[];
  /** A match whose text also matches one of these is left alone. */
  allow?: PatternSource[] | undefined;
  /** `block` (default), `redact` (by placeholder or mask), or `flag`. */
  action?: 'block' | 'redact' | 'flag' | undefined;
  redaction?: 'placeholder' | 'mask' | undefined;
  /** The longest match a stream must hold back for (default 256 characters). */
  maxLength?: number | undefined;
}

export interface TopicsGuardrail extends GuardrailBase {
  type: 'topics';
  /** Each topic with the keywords and phrases that mark it (whole words, any case). */
  topics: Array<{ topic: string; keywords: string[] }>;
  /** `block` (default) or `flag`. */
  action?: 'block' | 'flag' | undefined;
}

export interface JsonSchemaGuardrail extends GuardrailBase {
  type: 'json-schema';
  /** On a non-stream answer that does not match: ask the model once more, with what was wrong (default `false`). */
  repair?: boolean | undefined;
}

/** What a custom validator returns. `findings` name what it found (kinds, never the text). */
export interface GuardrailVerdict {
  action: 'pass' | 'flag' | 'block';
  findings?: string[] | undefined;
}

/** What a custom guardrail is given. */
export interface GuardrailCheck {
  readonly phase: GuardrailPhase;
  /** The pieces it reads: message contents (after the mutators before it), tool-call arguments, the answer. */
  readonly texts: readonly GuardedText[];
  readonly call: { readonly route: string; readonly principal: Principal | undefined; readonly tags: readonly string[]; readonly metadata: RequestMetadata };
  /** Aborts at the guardrail's time bound or when the caller gives up. */
  readonly signal: AbortSignal;
  /**
   * A chat completion through this gateway (an LLM judge): its own route (`params.model`),
   * limits and budgets apply as to any call, guardrails do not (no judge judges itself), and
   * it is aborted at this guardrail's time bound.
   */
  complete(params: ChatCompletionCreateParamsNonStreaming, options?: CallOptions): Promise<ChatCompletion>;
}

export interface CustomValidatorGuardrail extends GuardrailBase {
  type: 'custom';
  validate(check: GuardrailCheck): GuardrailVerdict | Promise<GuardrailVerdict>;
  /** On a streamed answer: also check the text so far each time this many characters more have arrived (default 0: only at the end). */
  everyChars?: number | undefined;
  mutate?: undefined;
}

export interface CustomMutatorGuardrail extends GuardrailBase {
  type: 'custom';
  /** Returns the piece as it should be sent (or shown). A streamed answer is held back until its end for it. */
  mutate(text: string, check: GuardrailCheck): string | Promise<string>;
  validate?: undefined;
}

export type GuardrailOptions =
  | PiiGuardrail
  | SecretsGuardrail
  | PromptInjectionGuardrail
  | RegexGuardrail
  | TopicsGuardrail
  | JsonSchemaGuardrail
  | CustomValidatorGuardrail
  | CustomMutatorGuardrail;

const fn = (what: string) => z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', `${what} must be a function`);
const patternSource = z.union([z.string().min(1), z.instanceof(RegExp)], mustBe('a regular expression (a RegExp or its source as a string)')).superRefine((value, ctx) => {
  if (typeof value !== 'string') return;
  try {
    new RegExp(value, 'u');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `is not a valid regular expression: ${(error as Error).message}` });
  }
});
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function', 'input'] as const;
const guardrailWhen = ruleMatchSchema.refine((when) => when.models === undefined, 'guardrails run before a target is picked, so `when.models` cannot apply: match `routes` instead');

const baseShape = {
  name: z.string(mustBe('a guardrail name')).min(1, mustBe('a non-empty guardrail name')).max(200, 'must be at most 200 characters'),
  when: guardrailWhen.optional(),
  on: z.enum(['input', 'output', 'both'], mustBe("'input', 'output' or 'both'")).optional(),
  mode: z.enum(['enforce', 'audit', 'off'], mustBe("'enforce', 'audit' or 'off'")).optional(),
  onError: z.enum(['fail-closed', 'fail-open'], mustBe("'fail-closed' or 'fail-open'")).optional(),
  timeoutMs: timerMsSchema().optional(),
  roles: z.array(z.enum(ROLES, mustBe(ROLES.map((role) => `'${role}'`).join(', '))), mustBe('a list of message roles')).optional(),
};
const strict = <S extends z.ZodRawShape>(shape: S, what: string) => z.object(shape, objectErrors(shape, what)).strict();
const redactStyle = z.enum(['placeholder', 'mask'], mustBe("'placeholder' or 'mask'")).optional();

const piiShape = {
  ...baseShape,
  type: z.literal('pii'),
  entities: z.array(z.enum(PII_ENTITIES, mustBe(PII_ENTITIES.map((e) => `'${e}'`).join(', '))), mustBe('a list of PII kinds')).min(1, 'list at least one kind').optional(),
  action: z.enum(['redact', 'block', 'flag'], mustBe("'redact', 'block' or 'flag'")).optional(),
  redaction: z.enum(['placeholder', 'mask', 'reversible'], mustBe("'placeholder', 'mask' or 'reversible'")).optional(),
  allow: z.array(patternSource, mustBe('a list of regular expressions')).optional(),
  defaultCountry: z.string(mustBe("an ISO 3166 alpha-2 country code, e.g. 'DE'")).regex(/^[A-Z]{2}$/, "must be an ISO 3166 alpha-2 country code in capitals, e.g. 'DE'").optional(),
};
const secretsShape = {
  ...baseShape,
  type: z.literal('secrets'),
  kinds: z.array(z.string().min(1), mustBe('a list of secret kinds')).min(1, 'list at least one kind').optional(),
  action: z.enum(['block', 'redact', 'flag'], mustBe("'block', 'redact' or 'flag'")).optional(),
  redaction: redactStyle,
  allow: z.array(patternSource, mustBe('a list of regular expressions')).optional(),
};
const injectionShape = {
  ...baseShape,
  type: z.literal('prompt-injection'),
  threshold: z.number(mustBe('a score > 0')).positive(mustBe('a score > 0')).finite().optional(),
  action: z.enum(['block', 'flag'], mustBe("'block' or 'flag'")).optional(),
};
const namedPattern = z.union([patternSource, z.object({ name: z.string().min(1), pattern: patternSource }).strict()], mustBe('a regular expression or { name, pattern }'));
const regexShape = {
  ...baseShape,
  type: z.literal('regex'),
  deny: z.array(namedPattern, mustBe('a list of regular expressions')).min(1, 'list at least one pattern'),
  allow: z.array(patternSource, mustBe('a list of regular expressions')).optional(),
  action: z.enum(['block', 'redact', 'flag'], mustBe("'block', 'redact' or 'flag'")).optional(),
  redaction: redactStyle,
  maxLength: z.number(mustBe('a whole number of characters > 0')).int().positive().max(65_536).optional(),
};
const topicShape = { topic: z.string().min(1), keywords: z.array(z.string().min(1)).min(1, 'list at least one keyword') };
const topicsShape = {
  ...baseShape,
  type: z.literal('topics'),
  topics: z.array(strict(topicShape, '{ topic, keywords }'), mustBe('a list of { topic, keywords }')).min(1, 'list at least one topic'),
  action: z.enum(['block', 'flag'], mustBe("'block' or 'flag'")).optional(),
};
const jsonSchemaShape = { ...baseShape, type: z.literal('json-schema'), repair: z.boolean(mustBe('true or false')).optional() };
const customShape = {
  ...baseShape,
  type: z.literal('custom'),
  validate: fn('validate').optional(),
  mutate: fn('mutate').optional(),
  everyChars: z.number(mustBe('a whole number of characters >= 0')).int().nonnegative().optional(),
};

const guardrailSchema = z.discriminatedUnion(
  'type',
  [
    strict(piiShape, '{ name, type: "pii", entities?, action?, redaction?, allow?, defaultCountry?, when?, on?, mode?, onError?, timeoutMs?, roles? }'),
    strict(secretsShape, '{ name, type: "secrets", kinds?, action?, redaction?, allow?, when?, on?, mode?, onError?, timeoutMs?, roles? }'),
    strict(injectionShape, '{ name, type: "prompt-injection", threshold?, action?, when?, on?, mode?, onError?, timeoutMs?, roles? }'),
    strict(regexShape, '{ name, type: "regex", deny, allow?, action?, redaction?, maxLength?, when?, on?, mode?, onError?, timeoutMs?, roles? }'),
    strict(topicsShape, '{ name, type: "topics", topics, action?, when?, on?, mode?, onError?, timeoutMs?, roles? }'),
    strict(jsonSchemaShape, '{ name, type: "json-schema", repair?, when?, on?, mode?, onError?, timeoutMs? }')
      .refine((g) => g.on === undefined || g.on === 'output', { message: "a json-schema guardrail checks answers: `on` can only be 'output'", path: ['on'] }),
    strict(customShape, '{ name, type: "custom", validate | mutate, everyChars?, when?, on?, mode?, onError?, timeoutMs?, roles? }')
      .refine((g) => (g.validate === undefined) !== (g.mutate === undefined), 'give exactly one of `validate` and `mutate`')
      .refine((g) => g.everyChars === undefined || g.validate !== undefined, { message: '`everyChars` applies to a validator', path: ['everyChars'] }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? "must have a `type`: 'pii', 'secrets', 'prompt-injection', 'regex', 'topics', 'json-schema' or 'custom'" : undefined) },
);

export const guardrailsOptionsSchema = z.array(guardrailSchema, mustBe('a list of guardrails')).superRefine((guardrails, ctx) => {
  const seen = new Set<string>();
  guardrails.forEach((guardrail, index) => {
    if (seen.has(guardrail.name)) ctx.addIssue({ code: 'custom', message: `duplicate guardrail name '${guardrail.name}': names must be unique (errors and events use them)`, path: [index, 'name'] });
    seen.add(guardrail.name);
  });
});
