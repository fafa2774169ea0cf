// The provider's settings and the per-call `providerOptions.switchyard`, with their zod schemas.
import { InvalidArgumentError } from '@ai-sdk/provider';
import type { CallOptions, ChatCompletionCreateParams } from '@switchyard/core';
import { z } from 'zod';

/** Where the AI SDK looks for this provider's per-call options: `providerOptions.switchyard`. */
export const PROVIDER_OPTIONS_KEY = 'switchyard';

const principalSchema = z
  .object({ id: z.string(), teams: z.array(z.string()).optional(), roles: z.array(z.string()).optional() })
  .strict();

const retrySchema = z.union([
  z.literal(false),
  z
    .object({
      retries: z.number().optional(),
      minDelayMs: z.number().optional(),
      maxDelayMs: z.number().optional(),
      factor: z.number().optional(),
      maxRetryAfterMs: z.number().optional(),
    })
    .strict(),
]);

const cacheSchema = z
  .object({ noCache: z.boolean().optional(), noStore: z.boolean().optional(), ttlMs: z.number().optional(), namespace: z.string().optional() })
  .strict();

/**
 * The gateway's call options a model call may carry (everything of `CallOptions` but `signal`,
 * which comes from the AI SDK's `abortSignal`). Ranges are checked by the gateway itself.
 */
const gatewayCallShape = {
  principal: principalSchema.optional(),
  tags: z.array(z.string()).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  timeout: z.number().optional(),
  attemptTimeout: z.number().optional(),
  firstChunkTimeout: z.number().optional(),
  idleTimeout: z.number().optional(),
  retry: retrySchema.optional(),
  regions: z.array(z.string()).optional(),
  cache: cacheSchema.optional(),
};

/** OpenAI request fields the AI SDK's standard settings have no name for. */
const chatExtrasShape = {
  user: z.string().optional(),
  parallelToolCalls: z.boolean().optional(),
  reasoningEffort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).optional(),
  strictJsonSchema: z.boolean().optional(),
};

export const switchyardProviderOptionsSchema = z.object({ ...gatewayCallShape, ...chatExtrasShape }).strict();

/** `providerOptions.switchyard` of one call. */
export type SwitchyardProviderOptions = z.infer<typeof switchyardProviderOptionsSchema>;

/** The gateway call options a provider applies to every call (per-call options override them). */
export type SwitchyardCallDefaults = z.infer<z.ZodObject<typeof gatewayCallShape>>;

const settingsSchema = z
  .object({
    ...gatewayCallShape,
    aiSdkRetries: z.boolean().optional(),
    supportedUrls: z.record(z.string(), z.array(z.instanceof(RegExp))).optional(),
    maxEmbeddingsPerCall: z.number().int().positive().optional(),
  })
  .strict();

/** The second argument of `switchyard(gateway, settings)`. */
export interface SwitchyardSettings extends SwitchyardCallDefaults {
  /**
   * Whether the AI SDK may retry what the gateway reports as retryable (default `false`): the
   * gateway has already retried and fallen back by then, so errors say `isRetryable: false`.
   */
  aiSdkRetries?: boolean | undefined;
  /** URLs the models take as they are instead of the AI SDK downloading them (default: http(s) image URLs). */
  supportedUrls?: Record<string, RegExp[]> | undefined;
  /** Most values one `embedMany` request sends (default 2048, OpenAI's limit). */
  maxEmbeddingsPerCall?: number | undefined;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Checks the provider's settings once, when it is made. */
export function parseSettings(settings: unknown): SwitchyardSettings {
  const parsed = settingsSchema.safeParse(settings ?? {});
  if (!parsed.success) {
    throw new InvalidArgumentError({ argument: 'settings', message: `Invalid switchyard() settings: ${describeIssues(parsed.error)}.`, cause: parsed.error });
  }
  return parsed.data;
}

/** Reads `providerOptions.switchyard` of a call; unknown keys are refused, so that a typo is not silently ignored. */
export function parseProviderOptions(providerOptions: Record<string, unknown> | undefined): SwitchyardProviderOptions {
  const raw = providerOptions?.[PROVIDER_OPTIONS_KEY];
  if (raw === undefined) return {};
  const parsed = switchyardProviderOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidArgumentError({
      argument: `providerOptions.${PROVIDER_OPTIONS_KEY}`,
      message: `Invalid providerOptions.${PROVIDER_OPTIONS_KEY}: ${describeIssues(parsed.error)}.`,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** The gateway's options for one call: the provider's defaults, then the call's own, then its abort signal. */
export function gatewayCallOptions(defaults: SwitchyardCallDefaults, call: SwitchyardProviderOptions, signal: AbortSignal | undefined): CallOptions {
  const options: CallOptions = {};
  const pick = <K extends keyof SwitchyardCallDefaults>(key: K) => call[key] ?? defaults[key];
  const principal = pick('principal');
  if (principal) options.principal = principal;
  const tags = [...(defaults.tags ?? []), ...(call.tags ?? [])];
  if (tags.length > 0) options.tags = [...new Set(tags)];
  if (defaults.metadata || call.metadata) options.metadata = { ...defaults.metadata, ...call.metadata };
  for (const key of ['timeout', 'attemptTimeout', 'firstChunkTimeout', 'idleTimeout'] as const) {
    const value = pick(key);
    if (value !== undefined) options[key] = value;
  }
  const retry = pick('retry');
  if (retry !== undefined) options.retry = retry;
  const regions = pick('regions');
  if (regions) options.regions = regions;
  const cache = call.cache || defaults.cache ? { ...defaults.cache, ...call.cache } : undefined;
  if (cache) options.cache = cache;
  if (signal) options.signal = signal;
  return options;
}

/** The OpenAI request fields set through `providerOptions.switchyard`. */
export function chatExtras(call: SwitchyardProviderOptions): Partial<ChatCompletionCreateParams> {
  const extras: Partial<ChatCompletionCreateParams> = {};
  if (call.user !== undefined) extras.user = call.user;
  if (call.parallelToolCalls !== undefined) extras.parallel_tool_calls = call.parallelToolCalls;
  if (call.reasoningEffort !== undefined) extras.reasoning_effort = call.reasoningEffort;
  return extras;
}
