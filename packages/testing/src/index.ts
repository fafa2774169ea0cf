export { startMockServer, type MockServer, type MockServerOptions } from './mock-server.js';
export { openaiWireFormat } from './openai-wire-format.js';
export { anthropicWireFormat } from './anthropic-wire-format.js';
export { geminiWireFormat } from './gemini-wire-format.js';
export type { Endpoint, WireEvent, WireFormat } from './wire-format.js';
export type {
  ChatReply,
  EmbeddingsReply,
  ErrorReply,
  MockReply,
  MockToolCall,
  MockUsage,
  RawReply,
  RawStreamReply,
  RecordedRequest,
  ReplyFaults,
  ReplyScript,
} from './mock-reply.js';
export { deterministicEmbedding, encodeFloat32Base64 } from './deterministic-embedding.js';
export {
  chunksOf,
  completionOf,
  scriptedAdapter,
  type ScriptedAdapter,
  type ScriptedAdapterOptions,
} from './scripted-adapter.js';
export { recordingCallContext, type RecordingCallContext } from './recording-call-context.js';
