import type { ChatReply, EmbeddingsReply, ErrorReply, RecordedRequest } from './mock-reply.js';

export interface WireEvent {
  event?: string;
  data: string;
}

export type Endpoint = 'chat' | 'embeddings';

/**
 * One provider's HTTP dialect. The mock server owns sockets, timing and faults; a wire
 * format only says which paths mean what and how replies look on that wire.
 */
export interface WireFormat {
  readonly name: string;
  /**
   * Path prefix of the SDK's base URL when the server is given no `basePath` (default `/v1`).
   * `''` for SDKs whose base URL is the server root because they add the version themselves.
   */
  readonly defaultBasePath?: string;
  /** What the request is, or `undefined` for an unknown path (answered 404). `path` has no query. */
  endpoint(method: string, path: string): Endpoint | undefined;
  /** Whether a chat request wants SSE; decided from the body (`stream: true`) or the path and query. */
  isStream(request: RecordedRequest): boolean;
  completion(reply: ChatReply, request: RecordedRequest): unknown;
  streamEvents(reply: ChatReply, request: RecordedRequest): WireEvent[];
  /**
   * Events that end a stream normally, also added after raw streams (OpenAI: `[DONE]`).
   * Empty for formats whose last reply event already ends the stream.
   */
  readonly streamEnd: readonly WireEvent[];
  /** The embeddings body; absent for providers without embeddings (such requests get a 404). */
  embeddings?(reply: EmbeddingsReply, request: RecordedRequest): unknown;
  error(reply: ErrorReply): unknown;
}
