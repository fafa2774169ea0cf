// `gateway.fetch`: a WHATWG fetch that serves OpenAI's chat completions and embeddings HTTP API in-process, with no socket.
import type { ChatCompletionCreateParams } from '../../contract/chat-params.js';
import type { EmbeddingCreateParams } from '../../contract/embeddings.js';
import { GatewayError } from '../../errors/errors.js';
import { ChatCompletionStream } from '../../pipeline/chat-completion-stream.js';
import type { DropInHost } from '../drop-in-host.js';
import { abortReason } from './abort-reason.js';
import { errorAnswer, requestErrorBody } from './error-response.js';
import { incomingCall } from './incoming-call.js';
import { sseBody } from './sse-body.js';

/** What a path serves: it ends in `/chat/completions` or `/embeddings`, whatever comes before (`/v1`, a deployment prefix). */
function endpointOf(pathname: string): 'chat' | 'embeddings' | undefined {
  if (pathname.endsWith('/chat/completions')) return 'chat';
  if (pathname.endsWith('/embeddings')) return 'embeddings';
  return undefined;
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function errorResponse(error: unknown): Response {
  const answer = errorAnswer(error);
  const requestId = error instanceof GatewayError ? error.requestId : undefined;
  return jsonResponse(answer.status, answer.body, requestId === undefined ? answer.headers : { ...answer.headers, 'x-request-id': requestId });
}

/**
 * A fetch that answers `POST …/chat/completions` (JSON, or SSE with `stream: true`) and
 * `POST …/embeddings` by calling the gateway through `host`, as OpenAI's API would answer.
 * No request header is read: the gateway's controls (principal, tags, metadata) are not taken
 * from whoever can set a header (docs/fetch.md). The caller's signal reaches the provider call.
 */
export function createGatewayFetch(host: DropInHost): typeof globalThis.fetch {
  return async function gatewayFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const call = incomingCall(input, init);
    const signal = call.signal;
    if (signal?.aborted) throw abortReason(signal);
    const pathname = call.url.pathname;
    const endpoint = endpointOf(pathname);
    if (endpoint === undefined) {
      return jsonResponse(404, requestErrorBody(`Invalid URL (${call.method} ${pathname}): gateway.fetch serves POST …/chat/completions and POST …/embeddings only.`), {});
    }
    if (call.method !== 'POST') {
      return jsonResponse(405, requestErrorBody(`Method ${call.method} is not allowed on ${pathname}: use POST.`), { allow: 'POST' });
    }
    let params: unknown;
    try {
      params = JSON.parse(await call.bodyText());
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      if (!(error instanceof SyntaxError)) throw error;
      return jsonResponse(400, requestErrorBody('We could not parse the JSON body of your request. The body must be a JSON object of OpenAI request parameters.'), {});
    }
    const options = signal === undefined ? undefined : { signal };
    try {
      // The gateway validates the params itself (every field, with zod), before anything is sent.
      if (endpoint === 'embeddings') {
        const { data, meta } = await host.embed(params as EmbeddingCreateParams, options).withMeta();
        return jsonResponse(200, data, { 'x-request-id': meta.requestId });
      }
      const { data, meta } = await host.chat(params as ChatCompletionCreateParams, options).withMeta();
      if (data instanceof ChatCompletionStream) {
        return new Response(sseBody(data, signal), { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': meta.requestId } });
      }
      return jsonResponse(200, data, { 'x-request-id': meta.requestId });
    } catch (error) {
      // Aborted by the caller: a real fetch rejects with the signal's reason, whatever the gateway made of it.
      if (signal?.aborted) throw abortReason(signal);
      return errorResponse(error);
    }
  };
}
