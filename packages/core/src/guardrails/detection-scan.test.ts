import { describe, expect, it } from 'vitest';
import type { Detector } from './detect/detector.js';
import { DetectionScan } from './detection-scan.js';

/** Finds the word `secret` and holds back a trailing run of letters that could still become one. */
const secretWord: Detector = {
  name: 'test.secret',
  types: ['secret'],
  maxLength: 6,
  find: (text) => [...text.matchAll(/secret/g)].map((match) => ({ type: 'secret', start: match.index, end: match.index + 6 })),
  pending: (text) => {
    const tail = /[a-z]*$/.exec(text)?.[0] ?? '';
    return text.length - tail.length;
  },
};

describe('DetectionScan', () => {
  it('drops a detection whose text an allow pattern matches (a global pattern tested without state)', () => {
    const scan = new DetectionScan([secretWord], [/^secret$/g]);
    expect(scan.find('secret secret')).toEqual([]);
  });

  it('never holds back more than the longest detection', () => {
    const scan = new DetectionScan([secretWord]);
    expect(scan.pending('abc secr')).toBe(4);
    expect(scan.pending('abcdefghijkl')).toBe(6);
  });
});
