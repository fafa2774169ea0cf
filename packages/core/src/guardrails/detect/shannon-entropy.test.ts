// Unit tests of the Shannon entropy helper: bits per character of repeated, two-letter and uniformly spread strings.
import { describe, expect, it } from 'vitest';
import { shannonEntropy } from './shannon-entropy.js';

describe('shannonEntropy', () => {
  it('is 0 for an empty or repeated string, 1 for two letters half and half, log2(n) for n distinct ones', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('xxxxxxxx')).toBe(0);
    expect(shannonEntropy('abab')).toBeCloseTo(1);
    expect(shannonEntropy('0123456789abcdef')).toBeCloseTo(4);
  });
});
