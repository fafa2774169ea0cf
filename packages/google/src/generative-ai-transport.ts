import { endAtFinish, expectedCandidates } from './end-at-finish.js';
import { withRelease, type EmbedOptions, type GeminiTransport } from './gemini-transport.js';
import type { GeminiRequest } from './gemini-wire.js';

/** What the adapter uses of `@google/generative-ai`'s `GoogleGenerativeAI` (typed structurally: the SDK is optional). */
export interface GenerativeAIClient {
  apiKey?: string;
  getGenerativeModel(params: { model: string }, requestOptions?: GenerativeAIRequestOptions): GenerativeAIModel;
}

/** `@google/generative-ai`'s RequestOptions: the client itself holds none, so the adapter takes them. */
export interface GenerativeAIRequestOptions {
  baseUrl?: string;
  apiVersion?: string;
  timeout?: number;
  customHeaders?: Headers | Record<string, string>;
}

interface GenerativeAIModel {
  generateContent(request: never, options?: { signal?: AbortSignal }): Promise<{ response: unknown }>;
  generateContentStream(request: never, options?: { signal?: AbortSignal }): Promise<{ stream: AsyncIterable<unknown>; response: Promise<unknown> }>;
  embedContent(request: never, options?: { signal?: AbortSignal }): Promise<{ embedding?: unknown }>;
  batchEmbedContents(request: never, options?: { signal?: AbortSignal }): Promise<{ embeddings?: unknown[] }>;
}

export function isGenerativeAIClient(client: unknown): client is GenerativeAIClient {
  return typeof (client as Partial<GenerativeAIClient> | null)?.getGenerativeModel === 'function';
}

/** Where `@google/generative-ai` calls when no `baseUrl` is given. */
const GENERATIVE_LANGUAGE_URL = 'https://generativelanguage.googleapis.com';

export function generativeAITransport(client: GenerativeAIClient, requestOptions: GenerativeAIRequestOptions | undefined): GeminiTransport {
  const model = (name: string) => client.getGenerativeModel({ model: name }, requestOptions);
  return {
    apiKey: client.apiKey,
    baseURL: requestOptions?.baseUrl ?? GENERATIVE_LANGUAGE_URL,
    // This SDK returns the parsed body only, and its errors only the status: there are no headers to report.
    headersOf: () => undefined,
    async generate(name, request, signal) {
      return (await model(name).generateContent(request as never, { signal })).response;
    },
    async stream(name, request: GeminiRequest, signal) {
      const release = new AbortController();
      const result = await model(name).generateContentStream(request as never, { signal: withRelease(signal, release) });
      // The SDK also aggregates the whole answer; nobody reads it, so its failure must not go unhandled.
      result.response.catch(() => undefined);
      return endAtFinish(result.stream, release, expectedCandidates(request));
    },
    async embed(name, texts, options: EmbedOptions, signal) {
      const request = (text: string) => ({
        model: `models/${name}`,
        content: { role: 'user', parts: [{ text }] },
        ...(options.taskType ? { taskType: options.taskType } : {}),
        ...(options.dimensions ? { outputDimensionality: options.dimensions } : {}),
      });
      if (texts.length === 1) {
        return { embeddings: [(await model(name).embedContent(request(texts[0] as string) as never, { signal })).embedding], headers: undefined };
      }
      return { embeddings: (await model(name).batchEmbedContents({ requests: texts.map(request) } as never, { signal })).embeddings ?? [], headers: undefined };
    },
  };
}
