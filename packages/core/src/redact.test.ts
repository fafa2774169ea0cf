import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it('removes known keys and common key shapes', () => {
    const text =
      'Incorrect API key provided: sk-proj-abc123***************wxyz. key AIzaSyA1234567890abcdefghij, ' +
      'header Bearer abcdefgh12345678, url https://x/v1?key=verysecretvalue&alt=sse, custom my-own-secret-token';
    const out = redactSecrets(text, ['my-own-secret-token']);
    expect(out).not.toMatch(/sk-proj|AIzaSy|abcdefgh12345678|verysecretvalue|my-own-secret-token/);
    expect(out).toContain(REDACTED);
    expect(out).toContain('alt=sse');
  });

  it('leaves ordinary text and short known values alone', () => {
    expect(redactSecrets('the model is overloaded', ['abc'])).toBe('the model is overloaded');
  });
});
