// How a gateway error is answered over OpenAI's HTTP API: the status, the `{ error: { message, type, param, code } }` body and the retry headers.
import { GatewayError, InvalidRequestError, ProviderError, UnavailableError, UnsupportedFeatureError, type GatewayErrorCode } from '../../errors/errors.js';
import { BudgetExceededError, RateLimitedError } from '../../errors/governance-errors.js';

/** OpenAI's error object, as its API sends it (and its SDKs read it). */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  };
}

/** An error as the HTTP answer carries it. */
export interface ErrorAnswer {
  status: number;
  body: OpenAIErrorBody;
  /** `retry-after`, `retry-after-ms`, `x-should-retry`, when known. */
  headers: Record<string, string>;
}

interface Mapping {
  status: number;
  type: string;
  code: string | null;
}

/**
 * The gateway's error codes and the nearest case of OpenAI's API. A refusal the caller can
 * fix or wait out is a 4xx; only what the gateway or the providers behind it failed at is a 5xx.
 * `provider_error` and `aborted` are not here: the first takes the provider's own status, the
 * second rejects the fetch as a real fetch does.
 */
const BY_CODE: Readonly<Record<Exclude<GatewayErrorCode, 'provider_error' | 'aborted'>, Mapping>> = {
  invalid_request: { status: 400, type: 'invalid_request_error', code: null },
  unsupported_feature: { status: 400, type: 'invalid_request_error', code: 'unsupported_parameter' },
  content_filter: { status: 400, type: 'invalid_request_error', code: 'content_policy_violation' },
  guardrail_blocked: { status: 400, type: 'invalid_request_error', code: 'content_policy_violation' },
  scope_revoked: { status: 401, type: 'authentication_error', code: 'scope_revoked' },
  access_denied: { status: 403, type: 'permission_error', code: 'access_denied' },
  no_target_in_region: { status: 403, type: 'permission_error', code: 'no_target_in_region' },
  unknown_model: { status: 404, type: 'invalid_request_error', code: 'model_not_found' },
  rate_limited: { status: 429, type: 'requests', code: 'rate_limit_exceeded' },
  budget_exceeded: { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' },
  config_error: { status: 500, type: 'server_error', code: null },
  guardrail_failed: { status: 500, type: 'server_error', code: 'guardrail_failed' },
  internal_error: { status: 500, type: 'server_error', code: null },
  stream_interrupted: { status: 502, type: 'server_error', code: 'stream_interrupted' },
  unavailable: { status: 503, type: 'server_error', code: 'overloaded' },
  timeout: { status: 504, type: 'timeout', code: 'timeout' },
};

/** An `aborted` error that did not come from the caller's signal (nothing in the gateway raises one today). */
const ABORTED: Mapping = { status: 500, type: 'server_error', code: 'aborted' };
/** A provider that could not be reached at all: no status of its own. */
const UNREACHABLE: Mapping = { status: 502, type: 'server_error', code: 'provider_unreachable' };

/** The OpenAI error type for a status a provider answered with. */
function typeOfStatus(status: number, providerCode: string | undefined): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return providerCode === 'insufficient_quota' ? 'insufficient_quota' : 'requests';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** A provider's own code, if it is one (a short identifier, never free text). */
function safeCode(code: string | undefined): string | null {
  return code !== undefined && /^[\w.-]{1,64}$/.test(code) ? code : null;
}

function providerMapping(error: ProviderError): Mapping {
  const status = error.status;
  if (status === undefined || status < 400 || status > 599) return UNREACHABLE;
  return { status, type: typeOfStatus(status, error.providerCode), code: safeCode(error.providerCode) ?? (status === 429 ? 'rate_limit_exceeded' : null) };
}

function mappingOf(error: GatewayError): Mapping {
  if (error instanceof ProviderError) return providerMapping(error);
  switch (error.code) {
    case 'aborted':
      return ABORTED;
    case 'provider_error':
      return UNREACHABLE;
    default:
      // A code from a newer copy of core that this one does not know: the gateway failed.
      return (BY_CODE as Partial<Record<string, Mapping>>)[error.code] ?? BY_CODE.internal_error;
  }
}

/** Which request field the error is about, when it names one. */
function paramOf(error: GatewayError): string | null {
  if (error instanceof InvalidRequestError) return error.issues[0]?.path || null;
  if (error instanceof UnsupportedFeatureError) return error.feature;
  if (error.code === 'unknown_model') return 'model';
  return null;
}

/** How long to wait before the same call may pass, in ms from `now`, when the error knows. */
function retryAfterMsOf(error: GatewayError, now: number): number | undefined {
  if (error instanceof RateLimitedError || error instanceof UnavailableError || error instanceof ProviderError) return error.retryAfterMs;
  if (error instanceof BudgetExceededError && error.periodEndsAt !== undefined) return Math.max(0, error.periodEndsAt - now);
  return undefined;
}

const GENERIC_MESSAGE = 'The gateway failed while serving the request. See its logs or events for the cause.';

/**
 * The HTTP answer for what a call threw. Messages are the gateway's own (which carry no key and
 * no prompt content); anything that is not a gateway error gets a generic one, since its
 * message could hold anything. An SDK error made of a gateway error (what a wrapped client's
 * stream throws) answers as that gateway error.
 */
export function errorAnswer(thrown: unknown, now: number = Date.now()): ErrorAnswer {
  const error = thrown instanceof Error && !(thrown instanceof GatewayError) && thrown.cause instanceof GatewayError ? thrown.cause : thrown;
  if (!(error instanceof GatewayError)) {
    return { status: 500, body: { error: { message: GENERIC_MESSAGE, type: 'server_error', param: null, code: null } }, headers: {} };
  }
  const { status, type, code } = mappingOf(error);
  const headers: Record<string, string> = {};
  const retryAfterMs = retryAfterMsOf(error, now);
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) {
    headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
    headers['retry-after-ms'] = String(Math.ceil(retryAfterMs));
  }
  // The gateway has already retried and fallen back as configured; an SDK that retries a
  // refusal that waiting does not help only repeats it.
  if (!error.retryable) headers['x-should-retry'] = 'false';
  return { status, body: { error: { message: error.message, type, param: paramOf(error), code } }, headers };
}

/** The body of an error answer made here (a path, a method, a body the gateway never saw). */
export function requestErrorBody(message: string, code: string | null = null): OpenAIErrorBody {
  return { error: { message, type: 'invalid_request_error', param: null, code } };
}
