import { describe, expect, it } from 'vitest';
import { EXCERPT_LENGTH, excerpt, quoted } from './excerpt.js';

describe('excerpt', () => {
  it('keeps short text whole', () => {
    expect(excerpt('gpt-4.1')).toBe('gpt-4.1');
    expect(excerpt('x'.repeat(EXCERPT_LENGTH))).toBe('x'.repeat(EXCERPT_LENGTH));
    expect(quoted('gpt-4.1')).toBe("'gpt-4.1'");
  });

  it('cuts long text to its first characters, an ellipsis and the length', () => {
    const long = 'a'.repeat(50_000_000);
    expect(excerpt(long)).toBe(`${'a'.repeat(100)}… (50000000 characters)`);
    expect(quoted(long)).toBe(`'${'a'.repeat(100)}…' (50000000 characters)`);
    expect(excerpt('abcdef', 3)).toBe('abc… (6 characters)');
  });

  it('never ends on half a surrogate pair', () => {
    const text = `${'a'.repeat(99)}😀${'b'.repeat(10)}`;
    expect(excerpt(text)).toBe(`${'a'.repeat(99)}… (${text.length} characters)`);
  });
});
