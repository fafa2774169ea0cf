import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { anthropic } from '@switchyard/anthropic';
import { createGateway } from '@switchyard/core';
import { google } from '@switchyard/google';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, geminiWireFormat, startMockServer, type MockServer } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { childrenOf, tracing } from './helpers.js';

const otel = tracing();
let servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

describe('adapters over the real SDK clients', () => {
  it('say where they call: the client’s host and port, or the provider’s default', () => {
    expect(openai({ client: new OpenAI({ apiKey: 'sk-test' }) }).endpoint).toEqual({ address: 'api.openai.com', port: 443 });
    expect(openai({ client: new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:4010/v1' }) }).endpoint).toEqual({ address: '127.0.0.1', port: 4010 });
    expect(anthropic({ client: new Anthropic({ apiKey: 'sk-ant-test' }) }).endpoint).toEqual({ address: 'api.anthropic.com', port: 443 });
    expect(google({ client: new GoogleGenAI({ apiKey: 'g-test' }) }).endpoint).toEqual({ address: 'generativelanguage.googleapis.com', port: 443 });
    expect(google({ client: new GoogleGenAI({ vertexai: true, project: 'p', location: 'europe-west4' }) }).endpoint).toEqual({ address: 'europe-west4-aiplatform.googleapis.com', port: 443 });
    expect(google({ client: new GoogleGenerativeAI('g-test') }).endpoint).toEqual({ address: 'generativelanguage.googleapis.com', port: 443 });
  });

  it('an attempt span carries the upstream server and the wire’s own answer facts, through the real OpenAI SDK', async () => {
    const server = await startMockServer();
    servers.push(server);
    otel.reset();
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 });
    const gateway = createGateway({ providers: { oa: openai({ client }) }, telemetry: { tracerProvider: otel.tracerProvider } });
    const answer = await gateway.chat.completions.create({ model: 'oa/gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
    const spans = await otel.spans();
    const request = spans.find((span) => span.name === 'chat oa/gpt-4.1-mini');
    const [attempt] = childrenOf(spans, request!);
    const port = Number(new URL(server.url).port);
    expect(attempt?.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'server.address': '127.0.0.1',
      'server.port': port,
      'gen_ai.response.id': answer.id,
      'gen_ai.response.model': answer.model,
      'gen_ai.usage.input_tokens': answer.usage?.prompt_tokens,
      'gen_ai.usage.output_tokens': answer.usage?.completion_tokens,
    });
  });

  it('the same through the real Anthropic and Gemini SDKs, with their convention names', async () => {
    const claudeServer = await startMockServer({ format: anthropicWireFormat });
    const geminiServer = await startMockServer({ format: geminiWireFormat });
    servers.push(claudeServer, geminiServer);
    otel.reset();
    const gateway = createGateway({
      providers: {
        claude: anthropic({ client: new Anthropic({ apiKey: 'sk-ant-test', baseURL: claudeServer.baseURL, maxRetries: 0 }) }),
        gem: google({ client: new GoogleGenAI({ apiKey: 'g-test', httpOptions: { baseUrl: geminiServer.baseURL } }) }),
      },
      telemetry: { tracerProvider: otel.tracerProvider },
    });
    await gateway.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] });
    await gateway.chat.completions.create({ model: 'gem/gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] });
    const attempts = (await otel.spans()).filter((span) => span.attributes['switchyard.attempt'] === 1);
    expect(attempts.map((span) => [span.name, span.attributes['gen_ai.provider.name'], span.attributes['server.address']])).toEqual([
      ['chat claude-sonnet-4-5', 'anthropic', '127.0.0.1'],
      ['chat gemini-2.5-flash', 'gcp.gemini', '127.0.0.1'],
    ]);
  });
});
