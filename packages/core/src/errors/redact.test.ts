import { describe, expect, it } from 'vitest';
import { REDACTED, longestSecret, redactSecrets, secretSpans } from './redact.js';

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

describe('secretSpans', () => {
  const cut = (text: string, spans: Array<[number, number]>) => spans.map(([start, end]) => text.slice(start, end));

  it('finds every known secret and key shape that redactSecrets removes, by position in the text as given', () => {
    const text = 'a my-own-secret-token b my-own-secret-token c sk-proj-abc123xyz d Bearer abcdefgh12345678 e ?key=verysecretvalue&alt=sse';
    const spans = secretSpans(text, ['my-own-secret-token', 'abc']);
    expect(cut(text, spans)).toEqual(['my-own-secret-token', 'my-own-secret-token', 'sk-proj-abc123xyz', 'Bearer abcdefgh12345678', 'verysecretvalue']);
    expect(spans[0]).toEqual([2, 21]);
    expect(secretSpans('the model is overloaded', ['abc'])).toEqual([]);
  });

  it('finds a key shape cut short, so a key cut off mid-way is still found', () => {
    expect(cut('x sk-abcdef', secretSpans('x sk-abcdef'))).toEqual(['sk-abcdef']);
  });
});

describe('longestSecret', () => {
  it('is the longest secret long enough to be matched', () => {
    expect(longestSecret([])).toBe(0);
    expect(longestSecret(['abc', 'abcdefgh', 'x'.repeat(2000)])).toBe(2000);
    expect(longestSecret(['abcdefg'])).toBe(0);
  });
});
