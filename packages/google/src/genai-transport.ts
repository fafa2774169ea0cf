import { endAtFinish, expectedCandidates } from './end-at-finish.js';
import { withRelease, type GeminiTransport } from './gemini-transport.js';
import type { GeminiRequest } from './gemini-wire.js';
import type { ResponseHeaders } from './provider-response-reporter.js';

/** What the adapter uses of `@google/genai`'s `GoogleGenAI` (typed structurally: the SDK is optional). */
export interface GenAIClient {
  models: {
    generateContent(params: never): Promise<unknown>;
    generateContentStream(params: never): Promise<AsyncIterable<unknown>>;
    embedContent(params: never): Promise<{ embeddings?: unknown[]; sdkHttpResponse?: unknown }>;
  };
}

export function isGenAIClient(client: unknown): client is GenAIClient {
  const models = (client as Partial<GenAIClient> | null)?.models;
  return typeof models?.generateContent === 'function' && typeof models.generateContentStream === 'function';
}

/** The gateway owns retrying and tool execution: the SDK's own are turned off per call. */
const SDK_OFF = { httpOptions: { retryOptions: { attempts: 1 } }, automaticFunctionCalling: { disable: true } };

function parameters(model: string, request: GeminiRequest, signal: AbortSignal | undefined) {
  return {
    model,
    contents: request.contents,
    config: {
      ...request.generationConfig,
      ...(request.systemInstruction ? { systemInstruction: request.systemInstruction } : {}),
      ...(request.tools ? { tools: request.tools } : {}),
      ...(request.toolConfig ? { toolConfig: request.toolConfig } : {}),
      ...SDK_OFF,
      ...(signal ? { abortSignal: signal } : {}),
    },
  };
}

/**
 * `@google/genai` attaches the HTTP response's headers to what it returns, as
 * `sdkHttpResponse.headers`, streamed responses included; an older one may not.
 */
function sdkHeaders(response: unknown): ResponseHeaders | undefined {
  const headers = (response as { sdkHttpResponse?: { headers?: unknown } } | null | undefined)?.sdkHttpResponse?.headers;
  if (headers instanceof Headers) return headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  // The SDK's own object, not a copy: the chunks of one stream share it, so the reporter can
  // skip them at a glance. `pickResponseHeaders` keeps only string values.
  return headers as Readonly<Record<string, string>>;
}

/** The base URL `@google/genai` calls (its `apiClient` is typed private but public at run time: API key, Vertex AI or a custom `httpOptions.baseUrl`). */
function genAIBaseURL(client: GenAIClient): string | undefined {
  try {
    const url: unknown = (client as { apiClient?: { getBaseUrl?: () => unknown } }).apiClient?.getBaseUrl?.();
    return typeof url === 'string' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function genAITransport(client: GenAIClient, apiKey: string | undefined): GeminiTransport {
  return {
    apiKey,
    baseURL: genAIBaseURL(client),
    headersOf: sdkHeaders,
    generate: (model, request, signal) => client.models.generateContent(parameters(model, request, signal) as never),
    async stream(model, request, signal) {
      const release = new AbortController();
      const stream = await client.models.generateContentStream(parameters(model, request, withRelease(signal, release)) as never);
      return endAtFinish(stream, release, expectedCandidates(request));
    },
    async embed(model, texts, options, signal) {
      const response = await client.models.embedContent({
        model,
        contents: texts,
        config: {
          ...(options.taskType ? { taskType: options.taskType } : {}),
          ...(options.dimensions ? { outputDimensionality: options.dimensions } : {}),
          httpOptions: SDK_OFF.httpOptions,
          ...(signal ? { abortSignal: signal } : {}),
        },
      } as never);
      return { embeddings: response.embeddings ?? [], headers: sdkHeaders(response) };
    },
  };
}
