import { describe, expect, it } from 'vitest';
import { fitContent } from './content-fit.js';
import type { GenAiMessage } from './gen-ai-messages.js';

const text = (role: string, content: string): GenAiMessage => ({ role, parts: [{ type: 'text', content }] });

describe('fitContent', () => {
  it('keeps content that fits as it is', () => {
    const messages = [text('user', 'hello')];
    expect(fitContent(messages, 1000, 'last')).toBe(JSON.stringify(messages));
  });

  it('cuts the longest text first, marks the cut, and stays within the cap as valid JSON', () => {
    const messages = [text('user', 'a'.repeat(2000)), text('user', 'b'.repeat(300))];
    const fitted = fitContent(messages, 800, 'last');
    expect(fitted.length).toBeLessThanOrEqual(800);
    const parsed = JSON.parse(fitted) as Array<{ parts: Array<{ content: string }> }>;
    expect(parsed[0]?.parts[0]?.content).toMatch(/^a+…\[cut \d+ chars\]$/);
    expect(parsed[1]?.parts[0]?.content).toBe('b'.repeat(300));
  });

  it('cuts large tool arguments as their JSON text', () => {
    const messages: GenAiMessage[] = [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c', name: 'f', arguments: { data: 'z'.repeat(3000) } }] }];
    const fitted = fitContent(messages, 600, 'first');
    expect(fitted.length).toBeLessThanOrEqual(600);
    const parsed = JSON.parse(fitted) as Array<{ parts: Array<{ arguments: string }> }>;
    expect(parsed[0]?.parts[0]?.arguments).toMatch(/^\{"data":"z+…\[cut \d+ chars\]$/);
  });

  it('counts escaped characters as they are written', () => {
    const messages = [text('user', '"\n'.repeat(1000))];
    const fitted = fitContent(messages, 300, 'last');
    expect(fitted.length).toBeLessThanOrEqual(300);
    expect(() => JSON.parse(fitted)).not.toThrow();
  });

  it('leaves whole messages out when many short ones do not fit, the oldest input first, and says so', () => {
    const messages = Array.from({ length: 50 }, (_, i) => text('user', `message number ${i}`));
    const fitted = fitContent(messages, 400, 'last');
    expect(fitted.length).toBeLessThanOrEqual(400);
    const parsed = JSON.parse(fitted) as Array<{ role: string; parts: Array<{ content: string }> }>;
    expect(parsed[0]?.parts[0]?.content).toMatch(/^\[\d+ messages left out: over the size cap\]$/);
    expect(parsed.at(-1)?.parts[0]?.content).toBe('message number 49');
    const first = fitContent(messages, 400, 'first');
    expect((JSON.parse(first) as Array<{ parts: Array<{ content: string }> }>)[0]?.parts[0]?.content).toBe('message number 0');
  });
});
