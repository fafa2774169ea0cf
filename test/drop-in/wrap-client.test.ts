import { ConfigError, createGateway } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { scriptedAdapter } from '@switchyard/testing';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';

const client = () => new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });

describe('gateway.wrap()', () => {
  it('refuses an object that is no SDK client it knows, saying which it takes', () => {
    const gateway = createGateway({ providers: { main: scriptedAdapter({}) } });
    expect(() => gateway.wrap({ chat: {} })).toThrow(/takes an `openai` client .* or an `@anthropic-ai\/sdk` client/);
  });

  it('refuses to wrap a client it already wrapped: every call would go through the gateway twice', () => {
    const real = client();
    const gateway = createGateway({ providers: { openai: openai({ client: real }) } });
    const wrapped = gateway.wrap(real);
    expect(() => gateway.wrap(wrapped)).toThrow(/already wrapped/);
  });

  it('refuses a config whose adapter is built on a wrapped client, which would loop', () => {
    const real = client();
    const gateway = createGateway({ providers: { openai: openai({ client: real }) } });
    const wrapped = gateway.wrap(real);
    expect(() => createGateway({ providers: { loop: openai({ client: wrapped }) } })).toThrow(ConfigError);
    expect(() => gateway.reload({ providers: { loop: openai({ client: wrapped }) } })).toThrow(/providers\.loop.*gateway\.wrap\(\) returned/);
  });
});
