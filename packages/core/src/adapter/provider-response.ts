/**
 * What an adapter learns about a provider's answer besides the answer itself: the
 * provider's own request id (what its support asks for), the response headers the gateway
 * acts on, and warnings about what the adapter changed on the way.
 */
export interface ProviderResponse {
  /** The provider's id for this HTTP request (OpenAI `x-request-id`, Anthropic `request-id`). */
  readonly providerRequestId: string | undefined;
  /** Only the headers `pickResponseHeaders` keeps: rate limits, Retry-After, request ids. Names lower-case. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Something the gateway did to a call that its caller may want to know. */
export interface CallWarning {
  /**
   * `parameter_dropped`: a parameter the provider has no equivalent for was left out;
   * `parameter_adjusted`: a value was changed to one the provider accepts (clamped, renamed);
   * `parameter_defaulted`: a value the provider requires was filled in (Anthropic's `max_tokens`);
   * `key_retried`: a pooled key was refused and the call was made again with another.
   */
  readonly code: 'parameter_dropped' | 'parameter_adjusted' | 'parameter_defaulted' | 'key_retried';
  /** The request parameter concerned, as a path into the OpenAI-shaped params (`top_k`, `messages[0].content`). */
  readonly param?: string;
  /** What happened, for a log line; never holds prompt content or keys. */
  readonly message: string;
}

/** Which response headers are kept: request ids, rate-limit state and Retry-After, nothing that could identify the app. */
const RESPONSE_HEADER_RULE =
  /^(?:x-request-id|request-id|x-goog-request-id|retry-after|retry-after-ms|x-ratelimit-[a-z0-9-]+|anthropic-ratelimit-[a-z0-9-]+)$/;

type HeaderSource = Headers | Readonly<Record<string, unknown>> | undefined | null;

/** The headers the gateway keeps from a response (request ids, `retry-after(-ms)`, `x-ratelimit-*`, `anthropic-ratelimit-*`), with lower-case names. */
export function pickResponseHeaders(source: HeaderSource): Record<string, string> {
  const picked: Record<string, string> = {};
  if (!source) return picked;
  if (typeof (source as Headers).forEach === 'function' && typeof (source as Headers).get === 'function') {
    (source as Headers).forEach((value, name) => {
      if (RESPONSE_HEADER_RULE.test(name)) picked[name] = value;
    });
    return picked;
  }
  for (const [name, value] of Object.entries(source as Readonly<Record<string, unknown>>)) {
    const lower = name.toLowerCase();
    if (!RESPONSE_HEADER_RULE.test(lower)) continue;
    // An SDK's plain object may hold anything; only strings (or lists of them) are headers.
    if (typeof value === 'string') picked[lower] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) picked[lower] = value.join(', ');
  }
  return picked;
}

/** A provider response from its headers; the request id is read from the header the provider uses. */
export function providerResponseFromHeaders(source: HeaderSource, requestIdHeader: string): ProviderResponse {
  const headers = pickResponseHeaders(source);
  return { providerRequestId: headers[requestIdHeader.toLowerCase()], headers };
}
