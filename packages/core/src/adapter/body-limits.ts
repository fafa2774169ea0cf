import { ConfigError, ProviderError, brand, type ConfigIssue } from '../errors/errors.js';

const MiB = 1024 * 1024;

/**
 * Largest server-sent event accepted by default: 16 MiB. Real chat events are well under
 * 100 KiB (a chunk is a few hundred bytes; a whole tool call's arguments or a partial
 * image rarely pass a few MiB), so this leaves two orders of magnitude of headroom while
 * keeping one hostile event's memory small and far from the engine's string limit.
 */
export const DEFAULT_MAX_EVENT_BYTES = 16 * MiB;

/**
 * Largest non-stream body accepted by default, after decompression: 64 MiB. The largest
 * real bodies are embeddings: a full OpenAI batch (2,048 inputs of 3,072 dimensions) is
 * about 34 MB as the base64 the SDK asks for by default. Answers with `encoding_format:
 * 'float'` take about five times that; raise the limit for those.
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * MiB;

/**
 * How much an adapter reads from its provider before it gives up: the `limits` option of
 * `openai({...})` and `anthropic({...})`. A response past a limit fails the call with a
 * `ResponseTooLargeError`, which is not retried.
 */
export interface ResponseLimits {
  /**
   * Largest single server-sent event of a stream, from its first line to the blank line that
   * ends it, line ends included (default `DEFAULT_MAX_EVENT_BYTES`, 16 MiB). Counted in
   * characters of the decoded text: the bytes for ASCII, as JSON events mostly are, fewer
   * for other text. Checked as each read arrives, so a line that never ends, or data lines
   * that never meet a blank line, are stopped at the limit, not at the end of the stream.
   */
  maxEventBytes?: number | undefined;
  /**
   * Largest non-stream response body (chat completions, embeddings), in bytes after any
   * `content-encoding` is undone (default `DEFAULT_MAX_BODY_BYTES`, 64 MiB), so a small
   * gzip body that inflates without end is stopped too.
   */
  maxBodyBytes?: number | undefined;
}

/** Who sent a response, for the error that a response past a limit raises. */
export interface ResponseSource {
  provider: string;
  model: string;
}

/** Checks an adapter's `limits` option and fills in the defaults; bad values fail at construction. */
export function resolveResponseLimits(limits: ResponseLimits | undefined, path = 'limits'): Required<ResponseLimits> {
  const issues: ConfigIssue[] = [];
  const pick = (name: keyof ResponseLimits, fallback: number): number => {
    const value = limits?.[name];
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || value < 1) {
      issues.push({ path: `${path}.${name}`, message: `must be a whole number of bytes, at least 1 (got ${String(value)})` });
      return fallback;
    }
    return value;
  };
  const resolved = { maxEventBytes: pick('maxEventBytes', DEFAULT_MAX_EVENT_BYTES), maxBodyBytes: pick('maxBodyBytes', DEFAULT_MAX_BODY_BYTES) };
  if (issues.length > 0) throw new ConfigError(issues);
  return resolved;
}

/** Which limit a response went past. */
export type ResponseLimitName = 'maxEventBytes' | 'maxBodyBytes';

/** The decoder or body reader used on its own, with no adapter to name. */
const UNNAMED: ResponseSource = { provider: 'unknown', model: 'unknown' };

/**
 * A provider's response went past a size limit (`providerCode` `event_too_large` or
 * `body_too_large`). The transfer was cancelled. Not retryable: a server that sent this
 * once will most likely send it again, and each try would cost the same memory and time.
 */
export class ResponseTooLargeError extends ProviderError {
  override name = 'ResponseTooLargeError';
  /** The option that sets the limit, under the adapter's `limits`. */
  readonly limit: ResponseLimitName;
  readonly limitBytes: number;

  constructor(limit: ResponseLimitName, limitBytes: number, source: ResponseSource = UNNAMED) {
    const what = limit === 'maxEventBytes' ? 'a stream event' : 'a response body';
    const who = source === UNNAMED ? 'The server' : `${source.provider}/${source.model}`;
    const where = source === UNNAMED ? '' : ` in the adapter options for \`${source.provider}\``;
    super(
      `${who} sent ${what} larger than ${formatBytes(limitBytes)}; the transfer was stopped. ` +
        `If answers this large are expected, raise \`limits.${limit}\`${where}.`,
      {
        provider: source.provider,
        model: source.model,
        retryable: false,
        providerCode: limit === 'maxEventBytes' ? 'event_too_large' : 'body_too_large',
      },
    );
    this.limit = limit;
    this.limitBytes = limitBytes;
  }
}

brand(ResponseTooLargeError, 'ResponseTooLargeError');

function formatBytes(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * What the engine throws for a string or buffer past its own limits (`RangeError`, Node's
 * `ERR_STRING_TOO_LONG`): with a limit set near them, a response can hit them first.
 */
export function isPastEngineLimit(error: unknown): boolean {
  return error instanceof RangeError || (error instanceof Error && (error as { code?: unknown }).code === 'ERR_STRING_TOO_LONG');
}
