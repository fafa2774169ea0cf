/** Faults and timing that apply to any scripted reply. */
export interface ReplyFaults {
  /** Wait this long before sending the response headers. */
  delayMs?: number;
  /** Streams: wait this long after the headers before the first event. */
  firstChunkDelayMs?: number;
  /** Streams: wait this long between events. */
  chunkDelayMs?: number;
  /** Never answer (`'headers'`), or send the headers (and half of a JSON body) and then nothing more (`'body'`). */
  hang?: 'headers' | 'body';
  /** Streams: send this many events, then destroy the connection mid-stream. */
  cutAfter?: number;
  /** Streams: send this many events, then stall with the connection open. */
  hangAfter?: number;
  /** Streams: replace the event at this index with a payload that is not JSON. */
  malformedAt?: number;
  /**
   * Streams: after `after` events (default 0), instead of the rest, one event that never
   * ends: `as: 'line'` sends a `data:` line of `bytes` bytes with no line end, `as: 'lines'`
   * sends `data:` lines of 1 MiB, `bytes` in all, with no blank line. Then the body ends,
   * unless the client has gone away first.
   */
  hugeEvent?: { bytes: number; as: 'line' | 'lines'; after?: number };
  /** Streams: after the last event (the end marker included), keep the connection open instead of ending the body. */
  holdOpen?: boolean;
  /** JSON answers: instead of the body, `{"filler":"aaa…` that never ends (chunked, until the client goes away). */
  endlessBody?: boolean;
  /**
   * JSON answers: instead of the body, a small `content-encoding: gzip` body that inflates to
   * this many bytes of JSON (`{"filler":"aaa…"}`): about 1 KB on the wire per MiB inflated.
   */
  gzipInflatesTo?: number;
  /** Extra response headers, e.g. a request id or rate-limit headers (`x-ratelimit-remaining-requests`). */
  headers?: Record<string, string>;
}

export interface MockToolCall {
  /** Generated when omitted (OpenAI `call_<n>`, Anthropic `toolu_<n>`; Gemini calls carry no id). */
  id?: string;
  name: string;
  /** A JSON string, sent in fragments when streamed. */
  arguments: string;
}

export interface MockUsage {
  input: number;
  output: number;
  cached?: number;
  cacheWrite?: number;
  /** Of `cacheWrite`, tokens written to a 1-hour cache (Anthropic's `cache_creation.ephemeral_1h_input_tokens`). */
  cacheWrite1h?: number;
  reasoning?: number;
}

/** A chat answer, rendered in the wire format of the server that sends it. */
export interface ChatReply extends ReplyFaults {
  kind?: 'chat';
  content?: string;
  reasoning?: string;
  toolCalls?: MockToolCall[];
  /** OpenAI: `message.refusal`; Anthropic: stop reason `refusal` (text in `stop_details`); Gemini: plain text, as Gemini refuses. */
  refusal?: string;
  /** Wire-format finish reason (e.g. `length`, `max_tokens`, `SAFETY`); defaults to the format's "stop" (or "tool calls"). */
  finishReason?: string;
  /**
   * Gemini: the prompt itself was blocked, e.g. `SAFETY`. The answer is `promptFeedback: { blockReason }`
   * with no candidates, and the rest of the reply is ignored. Other formats ignore this field.
   */
  blockReason?: string;
  /** Defaults to a count derived from the request and the reply. */
  usage?: MockUsage;
  /** Streams: characters of content per chunk (default: one word per chunk). */
  chunkSize?: number;
  /** Model name in the response (default: the requested one). */
  model?: string;
}

export interface EmbeddingsReply extends ReplyFaults {
  kind: 'embeddings';
  /** Explicit vectors, one per input; otherwise deterministic vectors derived from the text. */
  vectors?: number[][];
  promptTokens?: number;
}

/** An error response in the provider's error format. */
export interface ErrorReply extends ReplyFaults {
  kind: 'error';
  status: number;
  message?: string;
  /** Provider error type / code, e.g. `rate_limit_exceeded`. */
  code?: string;
  /** Seconds (number) or an HTTP date (string) for the Retry-After header. */
  retryAfter?: number | string;
}

/** A response body sent exactly as given (a recorded fixture, or a deliberately odd payload). */
export interface RawReply extends ReplyFaults {
  kind: 'raw';
  status?: number;
  body: string | object;
}

/**
 * SSE events sent exactly as given; the format's end marker (OpenAI `[DONE]`) is added unless
 * `end: false`. Formats without one (Anthropic, Gemini) add nothing, so this also scripts a
 * mid-stream error, e.g. Anthropic's `{ event: 'error', data: '{"type":"error",...}' }`.
 */
export interface RawStreamReply extends ReplyFaults {
  kind: 'raw-stream';
  events: Array<string | { event?: string; data: string }>;
  end?: boolean;
}

export type MockReply = ChatReply | EmbeddingsReply | ErrorReply | RawReply | RawStreamReply;

/** A request the mock server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export type ReplyScript = MockReply | ((request: RecordedRequest) => MockReply);
