import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { anthropic, type AnthropicAdapterOptions } from '@switchyard/anthropic';
import { google, type GoogleAdapterOptions } from '@switchyard/google';
import { openai, type OpenAIAdapterOptions } from '@switchyard/openai';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { configError } from './gateway/helpers.js';

const openaiClient = () => new OpenAI({ apiKey: 'sk-test-0000000000' });
const anthropicClient = () => new Anthropic({ apiKey: 'sk-ant-test-0000000000' });
const genaiClient = () => new GoogleGenAI({ apiKey: 'AIzaTest000000000000' });


describe('an adapter without the right SDK client is rejected at construction', () => {
  const cases: Array<[name: string, build: () => unknown, says: RegExp]> = [
    ['openai({})', () => openai({} as OpenAIAdapterOptions), /openai\(\{ client \}\) needs an `openai` SDK client.*new OpenAI\(\).*got no client/],
    ['openai with an Anthropic client', () => openai({ client: anthropicClient() as unknown as OpenAI }), /needs an `openai` SDK client.*got an Anthropic instance/],
    ['openai with a Gemini client', () => openai({ client: genaiClient() as unknown as OpenAI }), /needs an `openai` SDK client.*got a GoogleGenAI instance/],
    ['anthropic({})', () => anthropic({} as AnthropicAdapterOptions), /anthropic\(\{ client \}\) needs an `@anthropic-ai\/sdk` client.*new Anthropic\(\).*got no client/],
    ['anthropic with an OpenAI client', () => anthropic({ client: openaiClient() as unknown as Anthropic }), /got an OpenAI instance/],
    ['google({})', () => google({} as GoogleAdapterOptions), /google\(\{ client \}\) needs a `GoogleGenAI`.*got no client/],
    ['google with an OpenAI client', () => google({ client: openaiClient() as unknown as GoogleGenAI }), /got an OpenAI instance/],
    ['google with a plain object', () => google({ client: { models: {} } as unknown as GoogleGenAI }), /got an object that is not one/],
  ];

  it.each(cases)('%s: a ConfigError at `client` saying what to pass', (_name, build, says) => {
    const error = configError(build);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('client');
    expect(error.message).toMatch(says);
  });

  it('accepts the real clients', () => {
    expect(openai({ client: openaiClient() }).provider).toBe('openai');
    expect(anthropic({ client: anthropicClient() }).provider).toBe('anthropic');
    expect(google({ client: genaiClient() }).provider).toBe('google');
    expect(google({ client: new GoogleGenerativeAI('AIzaTest000000000000') }).provider).toBe('google');
  });
});
