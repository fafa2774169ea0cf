// Unit tests of the IBAN detector: ISO 13616 examples it must find in electronic and print form, look-alikes it must leave alone, and its streaming contract.
import { describe, expect, it } from 'vitest';
import { ibanChecksumValid, ibanDetector } from './iban.js';
import { CLEAN_PROSE, expectPendingContract, LOOK_ALIKES } from './pending-property.js';

const found = (text: string) => ibanDetector.find(text).map(({ type, start, end }) => ({ type, text: text.slice(start, end) }));

describe('ibanChecksumValid', () => {
  it('checks mod 97', () => {
    expect(ibanChecksumValid('DE89370400440532013000')).toBe(true);
    expect(ibanChecksumValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanChecksumValid('DE88370400440532013000')).toBe(false);
  });
});

describe('ibanDetector', () => {
  it.each([
    ['IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX', 'DE89 3704 0044 0532 0130 00'],
    ['GB82 WEST 1234 5698 7654 32', 'GB82 WEST 1234 5698 7654 32'],
    ['pay GB82WEST12345698765432.', 'GB82WEST12345698765432'],
    ['FR14 2004 1010 0505 0001 3M02 606 (Paris)', 'FR14 2004 1010 0505 0001 3M02 606'],
    ['Konto: CH93 0076 2011 6238 5295 7', 'CH93 0076 2011 6238 5295 7'],
    ['NO9386011117947', 'NO9386011117947'],
  ])('finds the IBAN in %j', (text, iban) => {
    expect(found(text)).toEqual([{ type: 'iban', text: iban }]);
  });

  it('gives exact offsets', () => {
    expect(ibanDetector.find('to DE89370400440532013000 or GB82 WEST 1234 5698 7654 32')).toEqual([
      { type: 'iban', start: 3, end: 25 },
      { type: 'iban', start: 29, end: 56 },
    ]);
  });

  it.each([
    // Bad checksum, wrong length for the country, unknown country.
    'DE88 3704 0044 0532 0130 00',
    'DE89 3704 0044 0532 0130 0',
    'XX89 3704 0044 0532 0130 00',
    // Lower case is not an IBAN's printed form; neither are order numbers or part codes.
    'de89370400440532013000',
    'Order AB12 3456 7890 1234 and part XY99ABCDEFGHIJKLM',
    ...LOOK_ALIKES,
  ])('passes %j untouched', (text) => {
    expect(ibanDetector.find(text)).toEqual([]);
  });

  it('keeps its streaming contract', () => {
    for (const text of ['Please send it to DE89 3704 0044 0532 0130 00 by Friday. Thanks.', 'Either GB82WEST12345698765432 or FR14 2004 1010 0505 0001 3M02 606 works', CLEAN_PROSE, ...LOOK_ALIKES]) expectPendingContract(ibanDetector, text);
  });

  it('holds nothing of ordinary prose ending in a space', () => {
    expect(ibanDetector.pending(CLEAN_PROSE)).toBe(CLEAN_PROSE.length);
  });
});
