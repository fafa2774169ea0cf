import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { anthropic } from '@switchyard/anthropic';
import { createGateway, type Gateway, type GatewayConfig } from '@switchyard/core';
import { google } from '@switchyard/google';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, geminiWireFormat, startMockServer, type ChatReply, type MockServer, type RecordedRequest } from '@switchyard/testing';
import OpenAI from 'openai';

export interface Harness {
  name: string;
  /** Starts a mock server of this provider's wire format and a gateway over the real SDK client. */
  start(config?: Partial<GatewayConfig>): Promise<{ gateway: Gateway; server: MockServer }>;
  model: string;
  /** Wire finish reasons to script for the OpenAI ones. */
  finish: { length: string; contentFilter: ChatReply };
  /** How this provider answers with JSON for a `response_format`. */
  jsonReply(json: string): ChatReply;
  embeddings: boolean;
  /** Which usage details the provider reports. */
  reports: { cacheWrite: boolean; reasoning: boolean };
  /** The tool choice as the provider received it. */
  toolChoiceSent(request: RecordedRequest): unknown;
  expectedToolChoice: { auto: unknown; none: unknown; required: unknown; named: unknown };
  /** The tool result as the provider received it (call id for OpenAI/Anthropic; function name for Gemini). */
  toolResultRef(request: RecordedRequest): unknown;
}

const body = (request: RecordedRequest) => request.body as Record<string, unknown>;
const apiKey = 'sk-conformance-0000000000';

export const harnesses: Harness[] = [
  {
    name: 'openai',
    model: 'gpt-4.1',
    async start(config) {
      const server = await startMockServer();
      const client = new OpenAI({ apiKey, baseURL: server.baseURL });
      return { server, gateway: createGateway({ ...config, providers: { openai: openai({ client }) } }) };
    },
    finish: { length: 'length', contentFilter: { finishReason: 'content_filter', content: '' } },
    jsonReply: (json) => ({ content: json }),
    embeddings: true,
    reports: { cacheWrite: false, reasoning: true },
    toolChoiceSent: (request) => body(request).tool_choice,
    expectedToolChoice: { auto: 'auto', none: 'none', required: 'required', named: { type: 'function', function: { name: 'get_weather' } } },
    toolResultRef: (request) => (body(request).messages as Array<{ role: string; tool_call_id?: string }>).filter((m) => m.role === 'tool').map((m) => m.tool_call_id),
  },
  {
    name: 'anthropic',
    model: 'claude-conformance',
    async start(config) {
      const server = await startMockServer({ format: anthropicWireFormat });
      const client = new Anthropic({ apiKey, baseURL: server.baseURL });
      return { server, gateway: createGateway({ ...config, providers: { anthropic: anthropic({ client }) } }) };
    },
    finish: { length: 'max_tokens', contentFilter: { refusal: 'Declined under the usage policy.' } },
    jsonReply: (json) => ({ toolCalls: [{ name: 'json_response', arguments: json }] }),
    embeddings: false,
    reports: { cacheWrite: true, reasoning: false },
    toolChoiceSent: (request) => body(request).tool_choice,
    expectedToolChoice: { auto: { type: 'auto' }, none: { type: 'none' }, required: { type: 'any' }, named: { type: 'tool', name: 'get_weather' } },
    toolResultRef: (request) =>
      (body(request).messages as Array<{ content: Array<{ type: string; tool_use_id?: string }> }>)
        .flatMap((m) => m.content)
        .filter((block) => block.type === 'tool_result')
        .map((block) => block.tool_use_id),
  },
  ...(['genai', 'generative-ai'] as const).map(
    (sdk): Harness => ({
      name: `google (${sdk === 'genai' ? '@google/genai' : '@google/generative-ai'})`,
      model: 'gemini-2.5-flash',
      async start(config) {
        const server = await startMockServer({ format: geminiWireFormat });
        const adapter =
          sdk === 'genai'
            ? // The image server is on loopback, which the fetcher refuses unless allowed.
              google({ client: new GoogleGenAI({ apiKey, httpOptions: { baseUrl: server.baseURL } }), apiKey, images: { allowPrivateNetworks: ['127.0.0.1'] } })
            : google({ client: new GoogleGenerativeAI(apiKey), requestOptions: { baseUrl: server.baseURL }, images: { allowPrivateNetworks: ['127.0.0.1'] } });
        return { server, gateway: createGateway({ ...config, providers: { google: adapter } }) };
      },
      finish: { length: 'MAX_TOKENS', contentFilter: { finishReason: 'SAFETY' } },
      jsonReply: (json) => ({ content: json }),
      embeddings: true,
      reports: { cacheWrite: false, reasoning: true },
      toolChoiceSent: (request) => (body(request).toolConfig as { functionCallingConfig?: unknown } | undefined)?.functionCallingConfig,
      expectedToolChoice: { auto: { mode: 'AUTO' }, none: { mode: 'NONE' }, required: { mode: 'ANY' }, named: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
      toolResultRef: (request) =>
        (body(request).contents as Array<{ parts: Array<{ functionResponse?: { name: string } }> }>)
          .flatMap((c) => c.parts)
          .filter((part) => part.functionResponse)
          .map((part) => part.functionResponse?.name),
    }),
  ),
];
