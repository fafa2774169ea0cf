import { z } from 'zod';
import { isProviderAdapter, type ProviderAdapter } from './adapter.js';
import { findUnserialisable } from './contract/check-serialisable.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import type { EventErrorHandler, EventListener } from './events.js';
import { MAX_TIMER_MS, retryOptionsSchema, timerMsSchema, type RetryOptions } from './call-options.js';
import type { GatewayError } from './errors.js';
import type { Middleware } from './middleware.js';
import type { CircuitBreakerOptions } from './routing/circuit-breaker.js';
import type { TokenBucketOptions } from './routing/token-bucket.js';
import type { ModelPrice } from './router.js';
import { routeReferences, routeSpecSchema, type RouteSpec } from './routing/route-spec.js';

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
  /** Source of latency timings (default: `performance`). */
  clock?: Clock | undefined;
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
  /** Prices in USD per million tokens, by `'<provider>/<model>'` or model name, for the `cost` strategy. */
  prices?: Record<string, ModelPrice> | undefined;
  /** Context windows in tokens, by `'<provider>/<model>'` or model name: a prompt too long for one target falls back only to larger ones. */
  contextWindows?: Record<string, number> | undefined;
  /** When every target is cooling down, wait up to this many ms for the first to take a probe instead of failing at once (default 0). */
  waitForCooldownMs?: number | undefined;
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', `${what} must be a function`);

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

const configSchema = z
  .object({
    providers: z
      .record(
        z.string().regex(/^[^/\s]+$/, 'provider keys may not contain "/" or spaces'),
        z.custom<ProviderAdapter>(isProviderAdapter, 'must be a provider adapter, e.g. openai({ client })'),
      )
      .refine((providers) => Object.keys(providers).length > 0, 'configure at least one provider'),
    models: z.record(z.string().min(1), routeSpecSchema).optional(),
    middleware: z.array(middlewareSchema).optional(),
    onEvent: fn('onEvent').optional(),
    onEventError: fn('onEventError').optional(),
    defaults: z
      .object({
        timeout: timerMsSchema().optional(),
        attemptTimeout: timerMsSchema().optional(),
        firstChunkTimeout: timerMsSchema().optional(),
        idleTimeout: timerMsSchema().optional(),
      })
      .strict()
      .optional(),
    routing: z
      .object({
        retry: z.union([z.literal(false), retryOptionsSchema]).optional(),
        breaker: z
          .union([
            z.literal(false),
            z
              .object({
                failureRateThreshold: z.number().gt(0).max(1).optional(),
                minimumRequests: z.number().int().positive().optional(),
                windowMs: z.number().positive().finite().optional(),
                cooldownMs: z.number().nonnegative().finite().optional(),
                halfOpenMaxProbes: z.number().int().positive().optional(),
                probeTimeoutMs: z.number().positive().finite().optional(),
              })
              .strict(),
          ])
          .optional(),
        retryBudget: z
          .union([z.literal(false), z.object({ capacity: z.number().positive(), refillPerSecond: z.number().nonnegative() }).strict()])
          .optional(),
        fallbackOn: fn('routing.fallbackOn').optional(),
        random: fn('routing.random').optional(),
        prices: z.record(z.string(), z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict()).optional(),
        contextWindows: z.record(z.string(), z.number().int().positive()).optional(),
        // The wait runs 1 ms past the probe time, and must still fit a timer.
        waitForCooldownMs: timerMsSchema({ allowZero: true, max: MAX_TIMER_MS - 1 }).optional(),
      })
      .strict()
      .optional(),
    clock: z.object({ now: fn('clock.now') }).optional(),
  })
  .strict();

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
  else if (parsed.success) issues.push(...routeIssues(parsed.data.providers, parsed.data.models ?? {}));
  if (issues.length > 0) throw new ConfigError(issues);
  return config as GatewayConfig;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
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
