import { z } from 'zod';
import { isProviderAdapter, type ProviderAdapter } from './adapter.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import type { EventErrorHandler, EventListener } from './events.js';
import type { Middleware } from './middleware.js';

/** A monotonic clock in milliseconds; inject one in tests for deterministic latencies. */
export interface Clock {
  now(): number;
}

export interface GatewayConfig {
  /** Adapters by provider key; the key is what `'<provider>/<model>'` targets name. */
  providers: Record<string, ProviderAdapter>;
  /** Route names: an alias maps to `'<provider>/<model>'` or to another route name. */
  models?: Record<string, string> | undefined;
  /** Run in order: the first is the outermost. */
  middleware?: Middleware[] | undefined;
  /** Receives every event; same as `gateway.on('*', listener)`. */
  onEvent?: EventListener | undefined;
  /** Receives errors thrown by event listeners (default: a process warning). */
  onEventError?: EventErrorHandler | undefined;
  /** Defaults for every call's options. */
  defaults?: { timeout?: number | undefined } | undefined;
  /** Source of latency timings (default: `performance`). */
  clock?: Clock | undefined;
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
    models: z.record(z.string().min(1), z.string().min(1, 'a route must name a target')).optional(),
    middleware: z.array(middlewareSchema).optional(),
    onEvent: fn('onEvent').optional(),
    onEventError: fn('onEventError').optional(),
    defaults: z.object({ timeout: z.number().positive().finite().optional() }).strict().optional(),
    clock: z.object({ now: fn('clock.now') }).optional(),
  })
  .strict();

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join('.');
}

/** Checks the whole config and throws one `ConfigError` listing every problem. */
export function validateConfig(config: unknown): GatewayConfig {
  const parsed = configSchema.safeParse(config);
  const issues: ConfigIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  if (parsed.success) issues.push(...routeIssues(parsed.data.providers, parsed.data.models ?? {}));
  if (issues.length > 0) throw new ConfigError(issues);
  return config as GatewayConfig;
}

/** Every alias must end, without a cycle, at a `<provider>/<model>` of a configured provider. */
function routeIssues(providers: Record<string, unknown>, models: Record<string, string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const name of Object.keys(models)) {
    const seen = [name];
    let target = models[name] as string;
    while (Object.hasOwn(models, target)) {
      if (seen.includes(target)) {
        issues.push({ path: `models.${name}`, message: `routes form a cycle: ${[...seen, target].join(' -> ')}` });
        break;
      }
      seen.push(target);
      target = models[target] as string;
    }
    if (Object.hasOwn(models, target)) continue;
    const slash = target.indexOf('/');
    if (slash <= 0 || slash === target.length - 1) {
      issues.push({ path: `models.${name}`, message: `'${target}' is neither a route nor '<provider>/<model>'` });
    } else if (!Object.hasOwn(providers, target.slice(0, slash))) {
      issues.push({
        path: `models.${name}`,
        message: `unknown provider '${target.slice(0, slash)}' (configured: ${Object.keys(providers).join(', ')})`,
      });
    }
  }
  return issues;
}
