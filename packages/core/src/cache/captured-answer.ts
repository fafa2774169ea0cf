import type { ChatCompletion } from '../contract/chat-completion.js';
import type { CreateEmbeddingResponse } from '../contract/embeddings.js';
import { mapChunks } from '../pipeline/map-chunks.js';
import type { Result } from '../pipeline/middleware.js';
import { CompletionAssembler } from './completion-from-chunks.js';

/** The answer a missed call produced, as it reached a cache; filled in as the call runs (a stream as it is read). */
export interface CapturedAnswer {
  completion?: ChatCompletion;
  response?: CreateEmbeddingResponse;
  assembler?: CompletionAssembler;
  /** A stream was read to its end. */
  streamDone?: boolean;
}

/**
 * Notes the answer in `captured` and hands the caller the same result; a stream is passed
 * through chunk by chunk, assembled into one completion on the way, so a cache can store what
 * the caller read once the call has ended.
 */
export function captureAnswer(result: Result, captured: CapturedAnswer): Result {
  switch (result.kind) {
    case 'completion':
      captured.completion = result.completion;
      return result;
    case 'embeddings':
      captured.response = result.response;
      return result;
    case 'stream': {
      const assembler = new CompletionAssembler();
      captured.assembler = assembler;
      const stream = mapChunks(result.stream, {
        chunk: (chunk) => {
          assembler.add(chunk);
          return chunk;
        },
        end: (reason) => {
          if (reason === 'done') captured.streamDone = true;
        },
      });
      return { kind: 'stream', stream };
    }
  }
}
