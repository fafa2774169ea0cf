import { z } from 'zod';
import { isProviderAdapter, type ProviderAdapter } from '../adapter/adapter.js';
import { findUnserialisable } from '../contract/check-serialisable.js';
import { ConfigError, type ConfigIssue } from '../errors/errors.js';
import { isWrappedClient } from '../drop-in/wrapped-clients.js';
import { mustBe, objectErrors } from '../errors/option-messages.js';
import type { EventErrorHandler, EventListener } from '../events/events.js';
import { MAX_TIMER_MS, timerMsSchema, type RetryOptions } from '../contract/call-options.js';
import type { GatewayError } from '../errors/errors.js';
import type { Middleware } from '../pipeline/middleware.js';
import type { EventSink } from '../sinks/event-sink.js';
import { telemetryOptionsSchema, type TelemetryOptions } from '../telemetry/telemetry-options.js';
import { circuitBreakerOptionsSchema, type CircuitBreakerOptions } from '../health/circuit-breaker.js';
import { tokenBucketOptionsSchema, type TokenBucketOptions } from '../health/token-bucket.js';
import type { ModelPrice } from '../routing/router.js';
import type { InputModality, ModelFacts, OutputModality } from '../catalog/model-facts.js';
import { falseOr, retrySettingSchema, routeReferences, routeSpecSchema, type RouteSpec } from '../routing/route-spec.js';
import { exactCacheOptionsSchema, type ExactCacheOptions } from '../cache/exact-cache-options.js';
import { semanticCacheOptionsSchema, type SemanticCacheOptions } from '../cache/semantic-cache-options.js';
import { auditOptionsSchema, type AuditOptions } from '../audit/audit-options-schema.js';
import { guardrailsOptionsSchema, type GuardrailOptions } from '../guardrails/guardrail-options.js';
import { downgradeRoutes, governanceOptionsSchema, type GovernanceOptions } from '../governance/governance-options.js';

/** A monotonic clock in milliseconds; inject one in tests for deterministic latencies. */
export interface Clock {
  now(): number;
}

export interface GatewayConfig {
  /** Adapters by provider key; the key is what `'<provider>/<model>'` targets name. */
  providers: Record<string, ProviderAdapter>;
  /** Routes by name: an alias, a target with overrides, a fallback list or a load-balanced group (see `RouteSpec`). */
  models?: Record<string, RouteSpec> | undefined;
  /** Run in order: the first is the outermost. */
  middleware?: Middleware[] | undefined;
  /** Receives every event; same as `gateway.on('*', listener)`. */
  onEvent?: EventListener | undefined;
  /** Receives errors thrown by event listeners (default: a process warning). */
  onEventError?: EventErrorHandler | undefined;
  /** Defaults for every call's options (each call may override them). */
  defaults?:
    | {
        timeout?: number | undefined;
        attemptTimeout?: number | undefined;
        firstChunkTimeout?: number | undefined;
        idleTimeout?: number | undefined;
      }
    | undefined;
  /** Retries, circuit breakers, retry budgets and fallback triggers (see docs/routing.md). */
  routing?: RoutingOptions | undefined;
  /**
   * Model facts (context window, max output, modalities, prices in USD per token) by
   * `'<provider>/<model>'` or model name, over the built-in catalog field by field (see docs/catalog.md).
   */
  catalog?: Record<string, Partial<ModelFacts>> | undefined;
  /** Source of latency timings (default: `performance`). */
  clock?: Clock | undefined;
  /** Response caching (docs/caching.md); off unless configured. */
  cache?: CacheOptions | undefined;
  /** Access rules, rate limits, budgets and residency (docs/governance.md); off unless configured. */
  governance?: GovernanceOptions | undefined;
  /** Guardrails on what is sent and what comes back (docs/guardrails.md); none unless configured. */
  guardrails?: GuardrailOptions[] | undefined;
  /** A tamper-evident record of every request (docs/audit.md); off unless configured. */
  audit?: AuditOptions | undefined;
  /**
   * Where events go besides listeners (docs/events.md#sinks): `createJsonlSink`, `createConsoleSink`,
   * `createBatchingSink`. `gateway.close()` flushes them; none unless configured.
   */
  sinks?: EventSink[] | undefined;
  /**
   * OpenTelemetry spans and metrics (docs/observability.md): on by default, recording whenever an
   * OpenTelemetry SDK is registered (or a provider is given here); content only when opted in.
   */
  telemetry?: TelemetryOptions | undefined;
  /**
   * Where deployments run, for residency: a region by provider key (`'openai-eu': 'eu-west-1'`)
   * or by `'<provider>/<model>'` (wins over its provider's); a route's `{ target, region }` wins over both.
   */
  regions?: Record<string, string> | undefined;
}

/** The response caches (docs/caching.md). */
export interface CacheOptions {
  /** The exact cache: answers identical requests again without a provider call. `{}` turns it on with the defaults. */
  exact?: ExactCacheOptions | undefined;
  /** The semantic cache: answers a near-duplicate question again, compared by embeddings made through this gateway. */
  semantic?: SemanticCacheOptions | undefined;
}

export interface RoutingOptions {
  /** Retrying one target (default: 2 retries, 250 ms doubling to 8 s, Retry-After up to 20 s); `false`: one try per target. */
  retry?: RetryOptions | false | undefined;
  /** Each deployment's circuit breaker; `false` turns breaking off. */
  breaker?: CircuitBreakerOptions | false | undefined;
  /** Each deployment's retry budget, a token bucket (default 10 retries, 1 more a second); `false`: unlimited. */
  retryBudget?: TokenBucketOptions | false | undefined;
  /** Whether a failure moves on to the route's next target (default: retryable errors, a deployment's 401/403/404, missing features). */
  fallbackOn?: ((error: GatewayError) => boolean) | undefined;
  /** Source of randomness for load balancing (inject one in tests; retry jitter is p-retry's own). */
  random?: (() => number) | undefined;
  /**
   * Prices in USD per million tokens, by `'<provider>/<model>'` or model name, for the `cost` strategy.
   * @deprecated Use `catalog: { [model]: { prices: { input, output } } }` (USD per token); these feed the catalog, under its entries.
   */
  prices?: Record<string, ModelPrice> | undefined;
  /**
   * Context windows in tokens, by `'<provider>/<model>'` or model name: a prompt too long for one target falls back only to larger ones.
   * @deprecated Use `catalog: { [model]: { contextWindow } }`; these feed the catalog, under its entries.
   */
  contextWindows?: Record<string, number> | undefined;
  /** When every target is cooling down, wait up to this many ms for the first to take a probe instead of failing at once (default 0). */
  waitForCooldownMs?: number | undefined;
}

const fn = <F extends (...args: never[]) => unknown = (...args: never[]) => unknown>(what: string) =>
  z.custom<F>((value) => typeof value === 'function', `${what} must be a function`);

const eventSinkSchema = z.custom<EventSink>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).name === 'string' &&
    ['write', 'flush', 'close', 'stats'].every((name) => typeof (value as Record<string, unknown>)[name] === 'function'),
  'must be an event sink (a name, and write, flush, close, stats), e.g. createJsonlSink({ path })',
);

const middlewareSchema = z.custom<Middleware>((value) => {
  if (typeof value !== 'object' || value === null) return false;
  const mw = value as Record<string, unknown>;
  return (
    typeof mw.name === 'string' &&
    mw.name.length > 0 &&
    (mw.request === undefined || typeof mw.request === 'function') &&
    (mw.attempt === undefined || typeof mw.attempt === 'function') &&
    (mw.request !== undefined || mw.attempt !== undefined)
  );
}, 'must be { name, request?(ctx, next), attempt?(ctx, next) } with a name and at least one hook');

const defaultsShape = {
  timeout: timerMsSchema().optional(),
  attemptTimeout: timerMsSchema().optional(),
  firstChunkTimeout: timerMsSchema().optional(),
  idleTimeout: timerMsSchema().optional(),
};

const priceShape = {
  input: z.number(mustBe('a number ≥ 0 (USD per million tokens)')).nonnegative(mustBe('a number ≥ 0 (USD per million tokens)')),
  output: z.number(mustBe('a number ≥ 0 (USD per million tokens)')).nonnegative(mustBe('a number ≥ 0 (USD per million tokens)')),
};

const tokens = () => z.number(mustBe('a whole number of tokens > 0')).int(mustBe('a whole number of tokens > 0')).positive(mustBe('a whole number of tokens > 0'));
const usdPerToken = () => z.number(mustBe('a number ≥ 0 (USD per token)')).nonnegative(mustBe('a number ≥ 0 (USD per token)')).optional();

const INPUT_MODALITIES = ['text', 'image', 'audio', 'video', 'pdf'] as const satisfies readonly InputModality[];
const OUTPUT_MODALITIES = ['text', 'image', 'audio'] as const satisfies readonly OutputModality[];

const modalitiesShape = {
  input: z.array(z.enum(INPUT_MODALITIES, mustBe(`one of ${INPUT_MODALITIES.join(', ')}`)), mustBe('a list of input modalities')),
  output: z.array(z.enum(OUTPUT_MODALITIES, mustBe(`one of ${OUTPUT_MODALITIES.join(', ')}`)), mustBe('a list of output modalities')),
};

const tokenPricesShape = {
  input: usdPerToken(),
  output: usdPerToken(),
  cacheRead: usdPerToken(),
  cacheWrite5m: usdPerToken(),
  cacheWrite1h: usdPerToken(),
  reasoning: usdPerToken(),
};
const TOKEN_PRICES = '{ input?, output?, cacheRead?, cacheWrite5m?, cacheWrite1h?, reasoning? }';
const priceTierShape = {
  aboveInputTokens: tokens(),
  prices: z.object(tokenPricesShape, objectErrors(tokenPricesShape, TOKEN_PRICES)).strict(),
};
const modelPricesShape = {
  ...tokenPricesShape,
  tiers: z
    .array(z.object(priceTierShape, objectErrors(priceTierShape, '{ aboveInputTokens, prices }')).strict(), mustBe('a list of { aboveInputTokens, prices }'))
    .optional(),
};

const modelFactsShape = {
  contextWindow: tokens().optional(),
  maxOutputTokens: tokens().optional(),
  modalities: z.object(modalitiesShape, objectErrors(modalitiesShape, '{ input, output }')).strict().optional(),
  prices: z.object(modelPricesShape, objectErrors(modelPricesShape, '{ input?, output?, cacheRead?, cacheWrite5m?, cacheWrite1h?, reasoning?, tiers? }')).strict().optional(),
} satisfies { [K in keyof Required<ModelFacts>]: z.ZodType<ModelFacts[K]> };

const routingShape = {
  retry: retrySettingSchema.optional(),
  // The primitives' own schemas: what the config accepts is what they accept.
  breaker: falseOr(circuitBreakerOptionsSchema, '{ failureRateThreshold?, minimumRequests?, windowMs?, cooldownMs?, halfOpenMaxProbes?, probeTimeoutMs?, onTransition? }', 'no breaking').optional(),
  retryBudget: falseOr(tokenBucketOptionsSchema, '{ capacity, refillPerSecond }', 'unlimited retries').optional(),
  fallbackOn: fn<(error: GatewayError) => boolean>('routing.fallbackOn').optional(),
  random: fn<() => number>('routing.random').optional(),
  prices: z.record(z.string(), z.object(priceShape, objectErrors(priceShape, '{ input, output }')).strict(), mustBe('an object of prices by model')).optional(),
  contextWindows: z
    .record(z.string(), z.number(mustBe('a whole number of tokens > 0')).int(mustBe('a whole number of tokens > 0')).positive(mustBe('a whole number of tokens > 0')), mustBe('an object of context windows by model'))
    .optional(),
  // The wait runs 1 ms past the probe time, and must still fit a timer.
  waitForCooldownMs: timerMsSchema({ allowZero: true, max: MAX_TIMER_MS - 1 }).optional(),
} satisfies { [K in keyof Required<RoutingOptions>]: z.ZodType<RoutingOptions[K]> };

const cacheShape = {
  exact: exactCacheOptionsSchema.optional(),
  semantic: semanticCacheOptionsSchema.optional(),
} satisfies { [K in keyof Required<CacheOptions>]: z.ZodType<CacheOptions[K]> };

const configShape = {
  providers: z
    .record(
      z.string().regex(/^[^/\s]+$/, 'provider keys may not contain "/" or spaces'),
      z.custom<ProviderAdapter>(isProviderAdapter, 'must be a provider adapter, e.g. openai({ client })'),
      mustBe('an object of provider adapters by name, e.g. { openai: openai({ client }) }'),
    )
    .refine((providers) => Object.keys(providers).length > 0, 'configure at least one provider'),
  models: z.record(z.string().min(1), routeSpecSchema, mustBe('an object of routes by name')).optional(),
  middleware: z.array(middlewareSchema, mustBe('a list of middleware')).optional(),
  onEvent: fn('onEvent').optional(),
  onEventError: fn('onEventError').optional(),
  defaults: z.object(defaultsShape, objectErrors(defaultsShape)).strict().optional(),
  routing: z.object(routingShape, objectErrors(routingShape)).strict().optional(),
  catalog: z
    .record(
      z.string().min(1),
      z.object(modelFactsShape, objectErrors(modelFactsShape, '{ contextWindow?, maxOutputTokens?, modalities?, prices? }')).strict(),
      mustBe('an object of model facts by model'),
    )
    .optional(),
  // Not strict: a clock may be any object with `now()`, e.g. `performance`.
  clock: z.object({ now: fn('clock.now') }, objectErrors({ now: true }, '{ now() }')).optional(),
  cache: z.object(cacheShape, objectErrors(cacheShape, '{ exact?, semantic? }')).strict().optional(),
  governance: governanceOptionsSchema.optional(),
  guardrails: guardrailsOptionsSchema.optional(),
  audit: auditOptionsSchema.optional(),
  telemetry: telemetryOptionsSchema.optional(),
  sinks: z.array(eventSinkSchema, mustBe('a list of event sinks, e.g. [createJsonlSink({ path })]')).optional(),
  regions: z.record(z.string().min(1), z.string(mustBe('a region name')).min(1, mustBe('a non-empty region name')), mustBe("an object of regions by provider or '<provider>/<model>'")).optional(),
};

const configSchema = z.object(configShape, objectErrors(configShape, 'a config object')).strict();

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join('.');
}

/** Checks the whole config and throws one `ConfigError` listing every problem. */
export function validateConfig(config: unknown): GatewayConfig {
  // Routes are plain data sent on as request fields (a target's `params`): a cycle, a BigInt
  // or absurd nesting would fail every call, and a cycle would overflow the schema check itself.
  const models = isRecord(config) && isRecord(config.models) ? config.models : undefined;
  const unsendable = models ? findUnserialisable(models, 'models') : undefined;
  const parsed = configSchema.safeParse(unsendable && isRecord(config) ? { ...config, models: undefined } : config);
  const issues: ConfigIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  if (unsendable) issues.push(unsendable);
  else if (parsed.success) issues.push(...routeIssues(parsed.data.providers, parsed.data.models ?? {}), ...embeddingsModelIssues(parsed.data), ...downgradeIssues(parsed.data), ...wrappedClientIssues(parsed.data.providers));
  if (issues.length > 0) throw new ConfigError(issues);
  return config as GatewayConfig;
}

/** An adapter built on a client `gateway.wrap()` made would send each call back into a gateway, in a loop when it is this one. */
function wrappedClientIssues(providers: Record<string, { clients?: readonly object[] | undefined }>): ConfigIssue[] {
  return Object.entries(providers).flatMap(([key, adapter]) =>
    adapter.clients?.some(isWrappedClient) ? [{ path: `providers.${key}`, message: 'is built on a client that gateway.wrap() returned: build the adapter on the original SDK client, and wrap that one for your own calls' }] : [],
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The semantic cache's embeddings model must be a route or a `<provider>/<model>` of a configured provider: else every lookup would fail. */
function embeddingsModelIssues(config: { providers: Record<string, unknown>; models?: Record<string, RouteSpec> | undefined; cache?: CacheOptions | undefined }): ConfigIssue[] {
  const model = config.cache?.semantic?.embeddings.model;
  if (model === undefined || Object.hasOwn(config.models ?? {}, model)) return [];
  const slash = model.indexOf('/');
  const path = 'cache.semantic.embeddings.model';
  if (slash <= 0 || slash === model.length - 1) return [{ path, message: `'${model}' is neither a route nor '<provider>/<model>'` }];
  const provider = model.slice(0, slash);
  if (Object.hasOwn(config.providers, provider)) return [];
  return [{ path, message: `unknown provider '${provider}' (configured: ${Object.keys(config.providers).join(', ')})` }];
}

/** A budget's downgrade route must be a configured route or a `<provider>/<model>` of a configured provider. */
function downgradeIssues(config: { providers: Record<string, unknown>; models?: Record<string, RouteSpec> | undefined; governance?: GovernanceOptions | undefined }): ConfigIssue[] {
  return downgradeRoutes(config.governance).flatMap(({ route, path }) => {
    if (Object.hasOwn(config.models ?? {}, route)) return [];
    const slash = route.indexOf('/');
    if (slash > 0 && slash < route.length - 1 && Object.hasOwn(config.providers, route.slice(0, slash))) return [];
    return [{ path, message: `'${route}' is neither a configured route nor '<provider>/<model>' of a configured provider` }];
  });
}

/** Every name a route mentions must be another route (without a cycle) or a `<provider>/<model>` of a configured provider. */
function routeIssues(providers: Record<string, unknown>, models: Record<string, RouteSpec>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      issues.push({ path: `models.${trail[0]}`, message: `routes form a cycle: ${[...trail, name].join(' -> ')}` });
      return;
    }
    state.set(name, 'visiting');
    for (const reference of routeReferences(models[name] as RouteSpec, `models.${name}`)) {
      if (Object.hasOwn(models, reference.name)) {
        visit(reference.name, [...trail, name]);
        continue;
      }
      const slash = reference.name.indexOf('/');
      if (slash <= 0 || slash === reference.name.length - 1) {
        issues.push({ path: reference.path, message: `'${reference.name}' is neither a route nor '<provider>/<model>'` });
      } else if (!Object.hasOwn(providers, reference.name.slice(0, slash))) {
        issues.push({
          path: reference.path,
          message: `unknown provider '${reference.name.slice(0, slash)}' (configured: ${Object.keys(providers).join(', ')})`,
        });
      }
    }
    state.set(name, 'done');
  };
  for (const name of Object.keys(models)) visit(name, []);
  return issues;
}
