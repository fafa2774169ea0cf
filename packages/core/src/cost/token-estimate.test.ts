import { describe, expect, it } from 'vitest';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import { countTokens, estimatePromptTokens, preloadTokenizer } from './token-estimate.js';

const system = 'You are a careful assistant. Answer in two sentences, citing the report section you used.';
const params = (question: string): ChatCompletionCreateParams => ({
  model: 'm',
  messages: [
    { role: 'system', content: system },
    { role: 'user', content: [{ type: 'text', text: question }] },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"section":"4.2"}' } }] },
  ],
});

describe('estimatePromptTokens', () => {
  it('counts each piece with the tokenizer, plus 3 per message and 3 for the reply; a text seen before counts the same', async () => {
    await preloadTokenizer();
    const pieces = [system, 'What changed in Q3?', 'lookup', '{"section":"4.2"}'];
    const expected = pieces.reduce((sum, piece) => sum + countTokens(piece).tokens, 0) + 3 * 3 + 3;
    expect(estimatePromptTokens(params('What changed in Q3?'))).toEqual({ tokens: expected, method: 'o200k_base' });
    // The system prompt's count is remembered from the call above; the total is the same.
    expect(estimatePromptTokens(params('What changed in Q3?')).tokens).toBe(expected);
    const other = 'And in Q4, what stayed the same?';
    expect(estimatePromptTokens(params(other)).tokens).toBe(expected - countTokens('What changed in Q3?').tokens + countTokens(other).tokens);
  });
});
