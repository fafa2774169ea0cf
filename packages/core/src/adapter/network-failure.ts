/**
 * Whether an SDK failure means the provider could not be reached, as opposed to a request
 * that could not even be built (a circular or BigInt value in the params, a wrong client):
 * only the first says anything about the deployment's health.
 */

/** The Stainless SDKs (openai, @anthropic-ai/sdk) wrap every network failure in these. */
const CONNECTION_KINDS = new Set(['APIConnectionError', 'APIConnectionTimeoutError']);

/** System (libuv) and undici error codes that mean the network failed, not the request. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'EPROTO',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
/** TLS failures reaching the host: the deployment cannot be reached safely from here. */
const TLS_CODE = /^ERR_(TLS|SSL)_|CERT/;

/**
 * Node's fetch (undici) throws `TypeError('fetch failed')` when the request never got an
 * answer and `TypeError('terminated')` when the body was cut off, with the socket error as
 * `cause`. A `TypeError` with any other message is the engine refusing something in the
 * request (`Converting circular structure to JSON`, `Do not know how to serialize a BigInt`).
 */
const UNDICI_MESSAGES = new Set(['fetch failed', 'terminated']);

const MAX_CAUSE_DEPTH = 5;

function kindOf(error: Error): string {
  return error.name !== 'Error' ? error.name : error.constructor.name;
}

/** The system or undici code of the network failure under `error` (its cause chain), if any. */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    const { code, syscall } = current as { code?: unknown; syscall?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || TLS_CODE.test(code) || typeof syscall === 'string')) return code;
    current = current.cause;
  }
  return undefined;
}

/**
 * A real connection failure: the SDK's connection error classes, undici's `fetch failed` /
 * `terminated` (with a network cause, or none to tell otherwise), or any error whose cause
 * chain holds a system or undici network error (custom fetch implementations).
 */
export function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (CONNECTION_KINDS.has(kindOf(error))) return true;
  if (error instanceof TypeError && UNDICI_MESSAGES.has(error.message)) {
    return error.cause === undefined || networkErrorCode(error.cause) !== undefined;
  }
  return networkErrorCode(error) !== undefined;
}

/**
 * The engine could not serialise the params to JSON: a circular reference or a BigInt,
 * raised while the SDK built the request, so nothing was sent. V8's wording.
 */
export function isUnserialisableParams(error: unknown): boolean {
  return error instanceof TypeError && /circular structure to JSON|serialize a BigInt|BigInt value can't be serialized/i.test(error.message);
}
