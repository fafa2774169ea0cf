import { estimatedUsage, replyContent, streamPieces } from './chat-reply-parts.js';
import { deterministicEmbedding, encodeFloat32Base64, roughTokens } from './deterministic-embedding.js';
import type { ChatReply, MockToolCall, MockUsage, RecordedRequest } from './mock-reply.js';
import type { WireEvent, WireFormat } from './wire-format.js';

interface OpenAIChatBody {
  model?: string;
  messages?: unknown[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

interface OpenAIEmbeddingsBody {
  model?: string;
  input?: string | string[] | number[] | number[][];
  dimensions?: number;
  encoding_format?: 'float' | 'base64';
}

const CREATED = 1_700_000_000;

function chatBody(request: RecordedRequest): OpenAIChatBody {
  return (request.body ?? {}) as OpenAIChatBody;
}

function usageFor(reply: ChatReply, request: RecordedRequest): MockUsage {
  return estimatedUsage(reply, chatBody(request).messages);
}

function wireUsage(usage: MockUsage) {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoning ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function toolCallsWithIds(calls: readonly MockToolCall[]): Required<MockToolCall>[] {
  return calls.map((call, i) => ({ id: call.id ?? `call_${i}`, name: call.name, arguments: call.arguments }));
}

function finishReason(reply: ChatReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');
}

/** OpenAI's Chat Completions and Embeddings wire format (`/v1/chat/completions`, `/v1/embeddings`). */
export const openaiWireFormat: WireFormat = {
  name: 'openai',
  defaultBasePath: '/v1',

  endpoint(method, path) {
    if (method !== 'POST') return undefined;
    if (path.endsWith('/chat/completions')) return 'chat';
    if (path.endsWith('/embeddings')) return 'embeddings';
    return undefined;
  },

  isStream(request) {
    return chatBody(request).stream === true;
  },

  completion(reply, request) {
    const calls = toolCallsWithIds(reply.toolCalls ?? []);
    return {
      id: 'chatcmpl-mock',
      object: 'chat.completion',
      created: CREATED,
      model: reply.model ?? chatBody(request).model ?? 'mock-model',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: replyContent(reply),
            refusal: reply.refusal ?? null,
            ...(reply.reasoning === undefined ? {} : { reasoning_content: reply.reasoning }),
            ...(calls.length
              ? {
                  tool_calls: calls.map((call) => ({
                    id: call.id,
                    type: 'function',
                    function: { name: call.name, arguments: call.arguments },
                  })),
                }
              : {}),
          },
          logprobs: null,
          finish_reason: finishReason(reply),
        },
      ],
      usage: wireUsage(usageFor(reply, request)),
      system_fingerprint: 'fp_mock',
    };
  },

  streamEvents(reply, request) {
    const body = chatBody(request);
    const model = reply.model ?? body.model ?? 'mock-model';
    const withUsage = body.stream_options?.include_usage === true;
    const chunk = (delta: object, finish: string | null = null) =>
      JSON.stringify({
        id: 'chatcmpl-mock',
        object: 'chat.completion.chunk',
        created: CREATED,
        model,
        system_fingerprint: 'fp_mock',
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...(withUsage ? { usage: null } : {}),
      });
    const events: WireEvent[] = [{ data: chunk({ role: 'assistant', content: '', refusal: null }) }];
    for (const piece of streamPieces(reply.reasoning ?? '', reply.chunkSize)) events.push({ data: chunk({ reasoning_content: piece }) });
    for (const piece of streamPieces(replyContent(reply) ?? '', reply.chunkSize)) events.push({ data: chunk({ content: piece }) });
    if (reply.refusal) events.push({ data: chunk({ refusal: reply.refusal }) });
    toolCallsWithIds(reply.toolCalls ?? []).forEach((call, index) => {
      events.push({
        data: chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
      });
      for (const piece of streamPieces(call.arguments, reply.chunkSize ?? 8)) {
        events.push({ data: chunk({ tool_calls: [{ index, function: { arguments: piece } }] }) });
      }
    });
    events.push({ data: chunk({}, finishReason(reply)) });
    if (withUsage) {
      events.push({
        data: JSON.stringify({
          id: 'chatcmpl-mock',
          object: 'chat.completion.chunk',
          created: CREATED,
          model,
          system_fingerprint: 'fp_mock',
          choices: [],
          usage: wireUsage(usageFor(reply, request)),
        }),
      });
    }
    return events;
  },

  streamEnd: [{ data: '[DONE]' }],

  embeddings(reply, request) {
    const body = (request.body ?? {}) as OpenAIEmbeddingsBody;
    const input = body.input ?? '';
    const inputs: string[] =
      typeof input === 'string'
        ? [input]
        : input.length > 0 && typeof input[0] === 'number'
          ? [JSON.stringify(input)]
          : (input as Array<string | number[]>).map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
    const dimensions = body.dimensions ?? 8;
    const vectors = reply.vectors ?? inputs.map((text) => deterministicEmbedding(text, dimensions));
    const promptTokens = reply.promptTokens ?? inputs.reduce((sum, text) => sum + roughTokens(text), 0);
    return {
      object: 'list',
      data: vectors.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: body.encoding_format === 'base64' ? encodeFloat32Base64(vector) : vector,
      })),
      model: body.model ?? 'mock-embedding',
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    };
  },

  error(reply) {
    const type =
      reply.status === 429 ? 'rate_limit_exceeded' : reply.status >= 500 ? 'server_error' : 'invalid_request_error';
    return {
      error: {
        message: reply.message ?? `Mock error ${reply.status}`,
        type,
        param: null,
        code: reply.code ?? type,
      },
    };
  },
};
