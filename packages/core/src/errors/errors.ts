import { excerpt } from './excerpt.js';

/**
 * The gateway's error family. Every error a caller sees is a `GatewayError` with a
 * stable `code`, so `instanceof` checks and `switch (error.code)` both work, and none
 * carries an API key or prompt content.
 */
export type GatewayErrorCode =
  | 'config_error'
  | 'invalid_request'
  | 'unknown_model'
  | 'provider_error'
  | 'timeout'
  | 'aborted'
  | 'unsupported_feature'
  | 'stream_interrupted'
  | 'content_filter'
  | 'unavailable'
  | 'access_denied'
  | 'rate_limited'
  | 'budget_exceeded'
  | 'no_target_in_region'
  | 'scope_revoked'
  | 'guardrail_blocked'
  | 'guardrail_failed'
  | 'internal_error';

export interface GatewayErrorOptions {
  provider?: string | undefined;
  model?: string | undefined;
  cause?: unknown;
}

/**
 * The brand every built-in error class carries on its prototype, under a registered symbol
 * (`Symbol.for`), so that two installed copies of `@switchyard/core` (an adapter built
 * against another version, a bundled copy) recognise each other's errors. Its value is the
 * class's name: a prototype chain lists every built-in class an error is an instance of.
 */
const GATEWAY_ERROR_BRAND: unique symbol = Symbol.for('switchyard.gateway-error');

const ordinaryInstanceOf = Function.prototype[Symbol.hasInstance];

/** Whether `value` is branded as the built-in error class `kind`, by whichever copy of core made it. */
function hasBrand(value: unknown, kind: string): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  // Own properties of each prototype only: a plain object cannot claim the brand by inheriting it by accident.
  for (let proto: unknown = Object.getPrototypeOf(value); proto !== null && typeof proto === 'object'; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, GATEWAY_ERROR_BRAND) && (proto as Record<symbol, unknown>)[GATEWAY_ERROR_BRAND] === kind) return true;
  }
  return false;
}

/**
 * Marks a built-in class's prototype with its brand (non-enumerable, so errors serialise and
 * compare as before). Core's own error classes outside this file call it too.
 */
export function brand(constructor: abstract new (...args: never[]) => GatewayError, kind: string): void {
  Object.defineProperty(constructor.prototype, GATEWAY_ERROR_BRAND, { value: kind, enumerable: false, writable: false, configurable: false });
}

export class GatewayError extends Error {
  /**
   * `instanceof` for every class of the family, also for errors made by another copy of
   * core: an error of this copy by its prototype chain as usual; one of another copy by
   * the brand of the built-in class on the right (`GatewayError`, `ProviderError`, ...), so
   * a `TimeoutError` of another copy is a `GatewayError` and a `TimeoutError` here but not a
   * `ProviderError`. An application's own subclass has no brand of its own and keeps plain
   * `instanceof` (an error of another copy is never an instance of it).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (ordinaryInstanceOf.call(this, value)) return true;
    const prototype: unknown = this.prototype;
    if (typeof prototype !== 'object' || prototype === null || !Object.hasOwn(prototype, GATEWAY_ERROR_BRAND)) return false;
    return hasBrand(value, (prototype as Record<symbol, unknown>)[GATEWAY_ERROR_BRAND] as string);
  }

  override name = 'GatewayError';
  readonly code: GatewayErrorCode;
  /** Provider that produced the error, when one was involved. */
  provider: string | undefined;
  /** Provider-side model name that produced the error, when one was involved. */
  model: string | undefined;
  /** Whether trying again (the same or another target) may succeed. */
  readonly retryable: boolean;
  /** The gateway request id, set once the error leaves the gateway. */
  requestId: string | undefined;
  /** How many provider attempts were made before this error was raised. */
  attempts = 0;

  constructor(code: GatewayErrorCode, message: string, retryable: boolean, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = retryable;
    this.provider = options.provider;
    this.model = options.model;
    this.requestId = undefined;
  }

  /** A plain, JSON-safe description for events and logs. */
  toJSON(): SerializedError {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.provider === undefined ? {} : { provider: this.provider }),
      ...(this.model === undefined ? {} : { model: this.model }),
    };
  }
}

export interface SerializedError {
  name: string;
  code: GatewayErrorCode;
  message: string;
  retryable: boolean;
  provider?: string;
  model?: string;
  status?: number;
}

export interface ConfigIssue {
  /** Dotted path into the config, e.g. `models.fast`. */
  path: string;
  message: string;
}

/** The config passed to `createGateway` is invalid; `issues` lists every problem. */
export class ConfigError extends GatewayError {
  override name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`);
    super('config_error', `Invalid Switchyard config (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, false);
    this.issues = issues;
  }
}

/**
 * Longest message of an error that quotes the caller's input. Quotes are excerpts already;
 * this is the backstop for one that is not, so that no error carries a request whole.
 */
const MAX_QUOTING_MESSAGE = 8_000;

/** The request parameters do not match the OpenAI contract; nothing was sent. */
export class InvalidRequestError extends GatewayError {
  override name = 'InvalidRequestError';
  readonly issues: readonly ConfigIssue[];

  constructor(message: string, issues: readonly ConfigIssue[] = []) {
    super('invalid_request', excerpt(message, MAX_QUOTING_MESSAGE), false);
    this.issues = issues;
  }
}

/** The `model` names neither a configured route nor a `<provider>/<model>` target. */
export class UnknownModelError extends GatewayError {
  override name = 'UnknownModelError';
  constructor(message: string) {
    super('unknown_model', excerpt(message, MAX_QUOTING_MESSAGE), false);
  }
}

export interface ProviderErrorOptions extends GatewayErrorOptions {
  provider: string;
  model: string;
  /** HTTP status, when the provider answered. */
  status?: number | undefined;
  retryable: boolean;
  /** How long the provider asked us to wait, in milliseconds (from Retry-After or the body). */
  retryAfterMs?: number | undefined;
  /** The provider's own error code or type, e.g. `rate_limit_exceeded`. */
  providerCode?: string | undefined;
  /** The provider's request id, for support tickets. */
  providerRequestId?: string | undefined;
}

/** The provider rejected the call or could not be reached. */
export class ProviderError extends GatewayError {
  override name = 'ProviderError';
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly providerCode: string | undefined;
  readonly providerRequestId: string | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super('provider_error', message, options.retryable, options);
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.providerCode = options.providerCode;
    this.providerRequestId = options.providerRequestId;
  }

  override toJSON(): SerializedError {
    return { ...super.toJSON(), ...(this.status === undefined ? {} : { status: this.status }) };
  }
}

/** The call's `timeout` elapsed before it finished. */
export class TimeoutError extends GatewayError {
  override name = 'TimeoutError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options: GatewayErrorOptions = {}) {
    super('timeout', `Request timed out after ${timeoutMs} ms. Raise \`timeout\` in the call options or the gateway defaults if the model needs longer.`, true, options);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `signal` aborted the call. */
export class AbortError extends GatewayError {
  override name = 'AbortError';
  constructor(options: GatewayErrorOptions = {}) {
    super('aborted', 'Request was aborted by the caller.', false, options);
  }
}

/** The request needs something the target provider cannot do; nothing was sent. */
export class UnsupportedFeatureError extends GatewayError {
  override name = 'UnsupportedFeatureError';
  readonly feature: string;
  constructor(feature: string, message: string, options: GatewayErrorOptions = {}) {
    super('unsupported_feature', message, false, options);
    this.feature = feature;
  }
}

export interface StreamInterruptedErrorOptions extends GatewayErrorOptions {
  /** Whether asking again may succeed (default true); false when the cause would recur, e.g. an event past the size limit. */
  retryable?: boolean | undefined;
}

/** A stream failed after chunks had reached the caller; it cannot be retried transparently. */
export class StreamInterruptedError extends GatewayError {
  override name = 'StreamInterruptedError';
  constructor(message: string, options: StreamInterruptedErrorOptions = {}) {
    super('stream_interrupted', message, options.retryable ?? true, options);
  }
}

/** The provider refused the prompt itself (e.g. Gemini's `promptFeedback.blockReason`); nothing was generated. */
export class ContentFilterError extends GatewayError {
  override name = 'ContentFilterError';
  /** The provider's reason, e.g. `SAFETY`, `PROHIBITED_CONTENT`. */
  readonly reason: string;
  constructor(reason: string, message: string, options: GatewayErrorOptions = {}) {
    super('content_filter', message, false, options);
    this.reason = reason;
  }
}

/** No target of the route could take the call: all cooling down, or none able to do what it needs. */
export class UnavailableError extends GatewayError {
  override name = 'UnavailableError';
  /** When the first cooling target will take a probe again, in ms from now; absent if none is cooling. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs: number | undefined) {
    super('unavailable', message, retryAfterMs !== undefined);
    this.retryAfterMs = retryAfterMs;
  }
}

brand(GatewayError, 'GatewayError');
brand(ConfigError, 'ConfigError');
brand(InvalidRequestError, 'InvalidRequestError');
brand(UnknownModelError, 'UnknownModelError');
brand(ProviderError, 'ProviderError');
brand(TimeoutError, 'TimeoutError');
brand(AbortError, 'AbortError');
brand(UnsupportedFeatureError, 'UnsupportedFeatureError');
brand(StreamInterruptedError, 'StreamInterruptedError');
brand(ContentFilterError, 'ContentFilterError');
brand(UnavailableError, 'UnavailableError');

/**
 * Whether `error` is one of the gateway's errors, made by this copy of core or another
 * installed one (recognised by its registered brand, not only by `instanceof` identity).
 */
export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
