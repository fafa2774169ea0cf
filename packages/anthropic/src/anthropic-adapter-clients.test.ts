// The adapter names the SDK client it calls through, so that gateway.wrap(client) finds the provider built on it.
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { anthropic } from './index.js';

describe('anthropic({ client }).clients', () => {
  it('is the very client given, also with a key pool', () => {
    const client = new Anthropic({ apiKey: 'sk-ant-test-clients-0000' });
    expect(anthropic({ client }).clients?.[0]).toBe(client);
    expect(anthropic({ client }).clients).toHaveLength(1);
    expect(anthropic({ client, keys: ['sk-ant-test-a-0000', 'sk-ant-test-b-0000'] }).clients?.[0]).toBe(client);
  });
});
