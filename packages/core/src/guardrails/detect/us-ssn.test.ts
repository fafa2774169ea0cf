// Unit tests of the US SSN detector: SSA-issuable numbers it must find, never-issued ranges and look-alikes it must leave alone, and its streaming contract.
import { describe, expect, it } from 'vitest';
import { usSsnDetector } from './us-ssn.js';
import { CLEAN_PROSE, expectPendingContract, LOOK_ALIKES } from './pending-property.js';

const found = (text: string) => usSsnDetector.find(text).map(({ type, start, end }) => ({ type, text: text.slice(start, end) }));

describe('usSsnDetector', () => {
  it.each([
    ['Her number is 123-45-6789, filed.', '123-45-6789'],
    ['SSN: 219 09 9999 on the form', '219 09 9999'],
    ['ssn 078051120', '078051120'],
    ['Social Security Number is 536-22-1234.', '536-22-1234'],
  ])('finds the number in %j', (text, ssn) => {
    expect(found(text)).toEqual([{ type: 'us_ssn', text: ssn }]);
  });

  it('gives exact offsets', () => {
    expect(usSsnDetector.find('a 123-45-6789 b, SSN 536221234')).toEqual([
      { type: 'us_ssn', start: 2, end: 13 },
      { type: 'us_ssn', start: 21, end: 30 },
    ]);
  });

  it.each([
    // Never issued: area 000, 666 or 9xx, group 00, serial 0000.
    '000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000',
    // Nine digits without the words are an id; longer dashed runs are something else.
    'ticket 123456789 and part 123-45-6789-01 and 1123-45-6789',
    ...LOOK_ALIKES,
  ])('passes %j untouched', (text) => {
    expect(usSsnDetector.find(text)).toEqual([]);
  });

  it('keeps its streaming contract', () => {
    for (const text of ['Her number is 123-45-6789, and we filed it.', 'My SSN is 219 09 9999 and yours?', 'ssn: 078051120 noted', CLEAN_PROSE, ...LOOK_ALIKES]) expectPendingContract(usSsnDetector, text);
  });

  it('holds nothing of ordinary prose ending in a space', () => {
    expect(usSsnDetector.pending(CLEAN_PROSE)).toBe(CLEAN_PROSE.length);
  });
});
