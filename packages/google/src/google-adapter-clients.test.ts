// The adapter names the SDK client it calls through, so that gateway.wrap(client) finds the provider built on it.
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { describe, expect, it } from 'vitest';
import { google } from './index.js';

describe('google({ client }).clients', () => {
  it('is the very client given, for either Gemini SDK', () => {
    const genai = new GoogleGenAI({ apiKey: 'AIzaTest000000000000' });
    const generativeAI = new GoogleGenerativeAI('AIzaTest000000000000');
    expect(google({ client: genai }).clients).toHaveLength(1);
    expect(google({ client: genai }).clients?.[0]).toBe(genai);
    expect(google({ client: generativeAI }).clients?.[0]).toBe(generativeAI);
  });
});
