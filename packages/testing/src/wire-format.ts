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
  /** What the request is, or `undefined` for an unknown path (answered 404). */
  endpoint(method: string, path: string): Endpoint | undefined;
  isStream(request: RecordedRequest): boolean;
  completion(reply: ChatReply, request: RecordedRequest): unknown;
  streamEvents(reply: ChatReply, request: RecordedRequest): WireEvent[];
  /** Events that end a stream normally (OpenAI: `[DONE]`). */
  readonly streamEnd: readonly WireEvent[];
  embeddings(reply: EmbeddingsReply, request: RecordedRequest): unknown;
  error(reply: ErrorReply): unknown;
}
