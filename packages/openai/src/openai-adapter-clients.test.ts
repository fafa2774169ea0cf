// The adapter names the SDK client it calls through, so that gateway.wrap(client) finds the provider built on it.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { openai } from './index.js';

describe('openai({ client }).clients', () => {
  it('is the very client given, also with a key pool', () => {
    const client = new OpenAI({ apiKey: 'sk-test-clients-0000' });
    expect(openai({ client }).clients).toEqual([client]);
    expect(openai({ client }).clients?.[0]).toBe(client);
    expect(openai({ client, keys: ['sk-test-key-a-0000', 'sk-test-key-b-0000'] }).clients?.[0]).toBe(client);
    expect(openai({ client }).clients).not.toContain(new OpenAI({ apiKey: 'sk-test-clients-0000' }));
  });
});
