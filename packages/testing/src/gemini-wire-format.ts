import { DEFAULT_CONTENT, estimatedUsage, parsedArguments, streamPieces } from './chat-reply-parts.js';
import { deterministicEmbedding } from './deterministic-embedding.js';
import type { ChatReply, RecordedRequest } from './mock-reply.js';
import type { WireFormat } from './wire-format.js';

interface GeminiGenerateBody {
  contents?: unknown[];
  systemInstruction?: unknown;
}

interface GeminiEmbedRequest {
  content?: { parts?: Array<{ text?: string }> };
  outputDimensionality?: number;
}

interface GeminiBatchEmbedBody {
  requests?: GeminiEmbedRequest[];
}

interface Piece {
  part: object;
  thought: boolean;
}

const ROUTE = /\/v1(?:beta|alpha)?\/models\/([^/:]+)(?::|%3A)(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/i;

const STATUSES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The model and method named by a Gemini path (`/v1beta/models/{model}:{method}`, query ignored). */
function routeOf(path: string): { model: string; method: string } | undefined {
  const match = ROUTE.exec(path.split('?')[0] ?? '');
  return match ? { model: match[1] ?? '', method: match[2] ?? '' } : undefined;
}

function modelOf(reply: ChatReply, request: RecordedRequest): string {
  return reply.model ?? routeOf(request.path)?.model ?? 'mock-model';
}

function answerText(reply: ChatReply): string | null {
  if (reply.content !== undefined) return reply.content;
  if (reply.refusal) return reply.refusal; // Gemini has no refusal field: it declines in plain text
  if (reply.toolCalls?.length) return null;
  // A candidate stopped for safety or recitation carries no text unless the script gives some.
  const normalStop = reply.finishReason === undefined || reply.finishReason === 'STOP' || reply.finishReason === 'MAX_TOKENS';
  return normalStop ? DEFAULT_CONTENT : null;
}

/** Parts in the order Gemini writes them; text is split for streams, function calls never are. */
function piecesOf(reply: ChatReply, split: boolean): Piece[] {
  const cut = (text: string) => (split ? streamPieces(text, reply.chunkSize) : text ? [text] : []);
  const pieces: Piece[] = cut(reply.reasoning ?? '').map((text) => ({ part: { text, thought: true }, thought: true }));
  for (const text of cut(answerText(reply) ?? '')) pieces.push({ part: { text }, thought: false });
  for (const call of reply.toolCalls ?? []) {
    pieces.push({ part: { functionCall: { name: call.name, args: parsedArguments(call.arguments) } }, thought: false });
  }
  return pieces;
}

/** Gemini's prompt count includes cached tokens; thoughts are counted apart from the candidates. */
function usageMetadata(prompt: number, cached: number, thoughts: number, candidates: number) {
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + thoughts + candidates,
    ...(cached ? { cachedContentTokenCount: cached } : {}),
    ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
  };
}

/** The GenerateContentResponse objects of a reply: one whole answer, or one per stream piece. */
function responsesOf(reply: ChatReply, request: RecordedRequest, split: boolean): object[] {
  const body = (request.body ?? {}) as GeminiGenerateBody;
  const usage = estimatedUsage(reply, body.systemInstruction === undefined ? body.contents : [body.systemInstruction, body.contents]);
  const envelope = { modelVersion: modelOf(reply, request), responseId: 'mock-response' };
  if (reply.blockReason) {
    const promptFeedback = { blockReason: reply.blockReason };
    return [{ promptFeedback, usageMetadata: { promptTokenCount: usage.input, totalTokenCount: usage.input }, ...envelope }];
  }
  const cached = usage.cached ?? 0;
  const thoughts = usage.reasoning ?? 0;
  const candidates = Math.max(0, usage.output - thoughts);
  const finishReason = reply.finishReason ?? 'STOP';
  const response = (parts: object[], last: boolean, usageNow: object) => ({
    candidates: [
      { ...(parts.length ? { content: { role: 'model', parts } } : {}), ...(last ? { finishReason } : {}), index: 0 },
    ],
    usageMetadata: usageNow,
    ...envelope,
  });
  const pieces = piecesOf(reply, split);
  const finalUsage = usageMetadata(usage.input, cached, thoughts, candidates);
  if (!split || pieces.length === 0) return [response(pieces.map((p) => p.part), true, finalUsage)];

  // Usage rides on every event, cumulative: thoughts grow first, then the candidates.
  const thoughtCount = pieces.filter((p) => p.thought).length;
  const answerCount = pieces.length - thoughtCount;
  const share = (total: number, done: number, count: number) => (count === 0 ? 0 : Math.ceil((total * done) / count));
  let thoughtsDone = 0;
  let answersDone = 0;
  return pieces.map((piece, i) => {
    if (piece.thought) thoughtsDone++;
    else answersDone++;
    const last = i === pieces.length - 1;
    const usageNow = last
      ? finalUsage
      : usageMetadata(usage.input, cached, share(thoughts, thoughtsDone, thoughtCount), share(candidates, answersDone, answerCount));
    return response([piece.part], last, usageNow);
  });
}

function isStreamRoute(request: RecordedRequest): boolean {
  return routeOf(request.path)?.method === 'streamGenerateContent';
}

/**
 * Google's Gemini API wire format (`/{v1beta|v1}/models/{model}:generateContent`,
 * `:streamGenerateContent`, `:embedContent`, `:batchEmbedContents`), as both `@google/genai`
 * and `@google/generative-ai` speak it. Their base URL is the server root. Streams are
 * `data:` events of whole responses, with no end marker.
 */
export const geminiWireFormat: WireFormat = {
  name: 'gemini',
  defaultBasePath: '',

  endpoint(method, path) {
    if (method !== 'POST') return undefined;
    const route = routeOf(path);
    if (route?.method === 'generateContent' || route?.method === 'streamGenerateContent') return 'chat';
    if (route?.method === 'embedContent' || route?.method === 'batchEmbedContents') return 'embeddings';
    return undefined;
  },

  isStream(request) {
    const query = new URLSearchParams(request.path.split('?')[1] ?? '');
    return isStreamRoute(request) && query.get('alt') === 'sse';
  },

  completion(reply, request) {
    // Without `alt=sse`, Gemini streams a JSON array of responses.
    if (isStreamRoute(request)) return responsesOf(reply, request, true);
    return responsesOf(reply, request, false)[0];
  },

  streamEvents(reply, request) {
    return responsesOf(reply, request, true).map((response) => ({ data: JSON.stringify(response) }));
  },

  streamEnd: [],

  embeddings(reply, request) {
    const values = (item: GeminiEmbedRequest, i: number) => {
      const text = (item.content?.parts ?? []).map((part) => part.text ?? '').join('');
      return reply.vectors?.[i] ?? deterministicEmbedding(text, item.outputDimensionality ?? 8);
    };
    if (routeOf(request.path)?.method === 'batchEmbedContents') {
      const body = (request.body ?? {}) as GeminiBatchEmbedBody;
      return { embeddings: (body.requests ?? []).map((item, i) => ({ values: values(item, i) })) };
    }
    return { embedding: { values: values((request.body ?? {}) as GeminiEmbedRequest, 0) } };
  },

  error(reply) {
    const details =
      reply.status === 429 && typeof reply.retryAfter === 'number'
        ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${reply.retryAfter}s` }]
        : [];
    return {
      error: {
        code: reply.status,
        message: reply.message ?? `Mock error ${reply.status}`,
        status: reply.code ?? STATUSES[reply.status] ?? (reply.status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT'),
        ...(details.length ? { details } : {}),
      },
    };
  },
};
