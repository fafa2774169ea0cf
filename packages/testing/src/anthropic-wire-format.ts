import { estimatedUsage, parsedArguments, replyContent, streamPieces } from './chat-reply-parts.js';
import type { ChatReply, MockUsage, RecordedRequest } from './mock-reply.js';
import type { WireEvent, WireFormat } from './wire-format.js';

interface AnthropicMessagesBody {
  model?: string;
  system?: unknown;
  messages?: unknown[];
  stream?: boolean;
}

type Block =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; arguments: string };

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

function messagesBody(request: RecordedRequest): AnthropicMessagesBody {
  return (request.body ?? {}) as AnthropicMessagesBody;
}

function modelOf(reply: ChatReply, request: RecordedRequest): string {
  return reply.model ?? messagesBody(request).model ?? 'mock-model';
}

function usageFor(reply: ChatReply, request: RecordedRequest): MockUsage {
  const body = messagesBody(request);
  return estimatedUsage(reply, body.system === undefined ? body.messages : [body.system, body.messages]);
}

/** Anthropic's input count leaves out cache reads and writes, which it reports on their own. */
function inputUsage(usage: MockUsage) {
  const cached = usage.cached ?? 0;
  const cacheWrite = usage.cacheWrite ?? 0;
  return {
    input_tokens: Math.max(0, usage.input - cached - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cached,
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite - Math.min(usage.cacheWrite1h ?? 0, cacheWrite), ephemeral_1h_input_tokens: Math.min(usage.cacheWrite1h ?? 0, cacheWrite) },
  };
}

/** Content blocks in the order Claude writes them: thinking, text, then tool calls. */
function blocksOf(reply: ChatReply): Block[] {
  const blocks: Block[] = [];
  // The signature only has to be opaque and stable; the length ties it to its text.
  if (reply.reasoning) {
    blocks.push({ type: 'thinking', thinking: reply.reasoning, signature: `sig_mock_${reply.reasoning.length}` });
  }
  const text = reply.refusal ? null : replyContent(reply);
  if (text) blocks.push({ type: 'text', text });
  (reply.toolCalls ?? []).forEach((call, i) =>
    blocks.push({ type: 'tool_use', id: call.id ?? `toolu_${i}`, name: call.name, arguments: call.arguments }),
  );
  return blocks;
}

function stopReason(reply: ChatReply): string {
  if (reply.finishReason) return reply.finishReason;
  if (reply.refusal) return 'refusal';
  return reply.toolCalls?.length ? 'tool_use' : 'end_turn';
}

function stopDetails(reply: ChatReply) {
  return reply.refusal ? { type: 'refusal', category: null, explanation: reply.refusal } : null;
}

function wireBlock(block: Block) {
  if (block.type !== 'tool_use') return block;
  return { type: 'tool_use', id: block.id, name: block.name, input: parsedArguments(block.arguments) };
}

/** A block as `content_block_start` opens it: empty, to be filled by deltas. */
function emptyBlock(block: Block) {
  switch (block.type) {
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'text':
      return { type: 'text', text: '' };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

function deltasOf(block: Block, chunkSize: number | undefined): object[] {
  switch (block.type) {
    case 'thinking':
      return [
        ...streamPieces(block.thinking, chunkSize).map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature: block.signature },
      ];
    case 'text':
      return streamPieces(block.text, chunkSize).map((text) => ({ type: 'text_delta', text }));
    case 'tool_use':
      return streamPieces(block.arguments, chunkSize ?? 8).map((partial_json) => ({ type: 'input_json_delta', partial_json }));
  }
}

/**
 * Anthropic's Messages wire format (`POST /v1/messages`), as `@anthropic-ai/sdk` speaks it.
 * The SDK's `baseURL` is the server root, so the default base path is empty. Streams are
 * named SSE events that end with `message_stop`, with no end marker after it.
 */
export const anthropicWireFormat: WireFormat = {
  name: 'anthropic',
  defaultBasePath: '',

  endpoint(method, path) {
    return method === 'POST' && path.endsWith('/v1/messages') ? 'chat' : undefined;
  },

  isStream(request) {
    return messagesBody(request).stream === true;
  },

  completion(reply, request) {
    const usage = usageFor(reply, request);
    return {
      id: 'msg_mock',
      type: 'message',
      role: 'assistant',
      model: modelOf(reply, request),
      content: blocksOf(reply).map(wireBlock),
      stop_reason: stopReason(reply),
      stop_sequence: null,
      stop_details: stopDetails(reply),
      usage: { ...inputUsage(usage), output_tokens: usage.output },
    };
  },

  streamEvents(reply, request) {
    const usage = usageFor(reply, request);
    const events: WireEvent[] = [];
    const send = (type: string, payload: object = {}) => events.push({ event: type, data: JSON.stringify({ type, ...payload }) });
    send('message_start', {
      message: {
        id: 'msg_mock',
        type: 'message',
        role: 'assistant',
        model: modelOf(reply, request),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        usage: { ...inputUsage(usage), output_tokens: 1 },
      },
    });
    const blocks = blocksOf(reply);
    blocks.forEach((block, index) => {
      send('content_block_start', { index, content_block: emptyBlock(block) });
      // Like the real API, a keep-alive ping arrives early; clients must skip it.
      if (index === 0) send('ping');
      for (const delta of deltasOf(block, reply.chunkSize)) send('content_block_delta', { index, delta });
      send('content_block_stop', { index });
    });
    if (blocks.length === 0) send('ping');
    send('message_delta', {
      delta: { stop_reason: stopReason(reply), stop_sequence: null, stop_details: stopDetails(reply) },
      usage: { output_tokens: usage.output },
    });
    send('message_stop');
    return events;
  },

  streamEnd: [],

  error(reply) {
    const type = reply.code ?? ERROR_TYPES[reply.status] ?? (reply.status >= 500 ? 'api_error' : 'invalid_request_error');
    return { type: 'error', error: { type, message: reply.message ?? `Mock error ${reply.status}` } };
  },
};
