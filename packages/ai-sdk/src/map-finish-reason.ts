// OpenAI's finish reasons, as the gateway reports them, to the AI SDK's unified ones (raw kept beside).
import type { LanguageModelV4FinishReason } from '@ai-sdk/provider';

/**
 * `refused`: the model answered with a refusal, which OpenAI ends with `stop`; the refusal is
 * why it stopped. `null` (no finish reason at all) is a stream that ended without its end signal.
 */
export function mapFinishReason(raw: string | null | undefined, refused = false): LanguageModelV4FinishReason {
  return { unified: unifiedFinishReason(raw, refused), raw: raw ?? undefined };
}

function unifiedFinishReason(raw: string | null | undefined, refused: boolean): LanguageModelV4FinishReason['unified'] {
  switch (raw) {
    case 'stop':
      return refused ? 'content-filter' : 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case null:
    case undefined:
      return 'interrupted';
    default:
      return 'other';
  }
}
