// The AI SDK prompt to OpenAI-shaped messages: every part kind, and the clear errors for what has no equivalent.
import { UnsupportedFunctionalityError, type LanguageModelV4Prompt } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { convertPrompt } from './convert-prompt.js';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('convertPrompt', () => {
  it('keeps a lone text part as a string, and multi-part user content as parts (images as data URLs or URLs)', () => {
    const { messages } = convertPrompt([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'file', mediaType: 'image/png', data: { type: 'data', data: png } },
          { type: 'file', mediaType: 'image', data: { type: 'data', data: png } },
          { type: 'file', mediaType: 'image/jpeg', data: { type: 'url', url: new URL('https://example.com/cat.jpg') } },
        ],
      },
    ]);
    const base64 = Buffer.from(png).toString('base64');
    expect(messages).toEqual([
      { role: 'user', content: 'Hi' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${base64}` } },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${base64}` } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('sends wav/mp3 audio as input_audio and PDFs as files', () => {
    const { messages } = convertPrompt([
      {
        role: 'user',
        content: [
          { type: 'file', mediaType: 'audio/wav', data: { type: 'data', data: 'UklGRg==' } },
          { type: 'file', mediaType: 'audio/mpeg', data: { type: 'data', data: 'SUQz' } },
          { type: 'file', mediaType: 'application/pdf', filename: 'a.pdf', data: { type: 'data', data: 'JVBERi0=' } },
        ],
      },
    ]);
    expect(messages[0]?.content).toEqual([
      { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
      { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } },
      { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
    ]);
  });

  it.each([
    ['a video', { type: 'file', mediaType: 'video/mp4', data: { type: 'data', data: 'AAAA' } }, 'video/mp4'],
    ['a PDF by URL', { type: 'file', mediaType: 'application/pdf', data: { type: 'url', url: new URL('https://example.com/a.pdf') } }, 'given by URL'],
    ['ogg audio', { type: 'file', mediaType: 'audio/ogg', data: { type: 'data', data: 'AAAA' } }, 'audio/ogg'],
    ['a provider reference', { type: 'file', mediaType: 'application/pdf', data: { type: 'reference', reference: { openai: 'file-1' } } }, 'provider reference'],
    ['an image of unknown type', { type: 'file', mediaType: 'image/*', data: { type: 'data', data: new Uint8Array([1, 2, 3]) } }, 'image/png'],
  ] as const)('refuses %s with UnsupportedFunctionalityError', (_name, part, mention) => {
    const prompt = [{ role: 'user', content: [part] }] as LanguageModelV4Prompt;
    let failure: unknown;
    try {
      convertPrompt(prompt);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(UnsupportedFunctionalityError);
    expect((failure as Error).message).toContain(mention);
  });

  it('puts assistant text, reasoning and tool calls in one message, and warns about parts it leaves out', () => {
    const { messages, warnings } = convertPrompt([
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Need the weather.' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Oslo' } },
          { type: 'file', mediaType: 'image/png', data: { type: 'data', data: png } },
        ],
      },
    ]);
    expect(messages).toEqual([
      {
        role: 'assistant',
        content: 'Checking.',
        reasoning_content: 'Need the weather.',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
      },
    ]);
    expect(warnings).toEqual([{ type: 'unsupported', feature: "assistant message part 'file'", details: 'The part was left out of the request.' }]);
  });

  it('sends each tool result as a tool message: text, json, errors, denial and text content', () => {
    const { messages } = convertPrompt([
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'a', toolName: 't', output: { type: 'text', value: 'plain' } },
          { type: 'tool-result', toolCallId: 'b', toolName: 't', output: { type: 'json', value: { n: 1 } } },
          { type: 'tool-result', toolCallId: 'c', toolName: 't', output: { type: 'error-text', value: 'boom' } },
          { type: 'tool-result', toolCallId: 'd', toolName: 't', output: { type: 'error-json', value: { code: 5 } } },
          { type: 'tool-result', toolCallId: 'e', toolName: 't', output: { type: 'execution-denied', reason: 'not allowed' } },
          { type: 'tool-result', toolCallId: 'f', toolName: 't', output: { type: 'content', value: [{ type: 'text', text: 'one' }] } },
          { type: 'tool-approval-response', approvalId: 'x', approved: true },
        ],
      },
    ]);
    expect(messages).toEqual([
      { role: 'tool', tool_call_id: 'a', content: 'plain' },
      { role: 'tool', tool_call_id: 'b', content: '{"n":1}' },
      { role: 'tool', tool_call_id: 'c', content: '{"error":"boom"}' },
      { role: 'tool', tool_call_id: 'd', content: '{"error":{"code":5}}' },
      { role: 'tool', tool_call_id: 'e', content: 'not allowed' },
      { role: 'tool', tool_call_id: 'f', content: [{ type: 'text', text: 'one' }] },
    ]);
  });
});
