// Unit tests of the phone number detector: E.164 and national US forms it must find, identifiers and dates it must leave alone, and its streaming contract.
import { describe, expect, it } from 'vitest';
import { phoneNumberDetector, phoneNumberDetectorUS } from './phone-number.js';
import { CLEAN_PROSE, expectPendingContract, LOOK_ALIKES } from './pending-property.js';

const found = (text: string, detector = phoneNumberDetectorUS) => detector.find(text).map(({ type, start, end }) => ({ type, text: text.slice(start, end) }));

describe('phoneNumberDetector', () => {
  it.each([
    ['Call +1 415 555 2671 today', '+1 415 555 2671'],
    ['Call (415) 555-2671 today', '(415) 555-2671'],
    ['tel: 415.555.2671.', '415.555.2671'],
    ['Our London desk: +44 20 7946 0958, ask for Sam.', '+44 20 7946 0958'],
    ['Berlin office +49 30 901820 now', '+49 30 901820'],
  ])('finds the number in %j', (text, number) => {
    expect(found(text)).toEqual([{ type: 'phone_number', text: number }]);
  });

  it('gives exact offsets', () => {
    expect(phoneNumberDetectorUS.find('Ring 415-555-2671 or +44 20 7946 0958')).toEqual([
      { type: 'phone_number', start: 5, end: 17 },
      { type: 'phone_number', start: 21, end: 37 },
    ]);
  });

  it('reads numbers without + for its default country', () => {
    expect(found('ring 020 7946 0958 please', phoneNumberDetector('GB'))).toEqual([{ type: 'phone_number', text: '020 7946 0958' }]);
  });

  it.each([
    'Order no. 415 555 2671 shipped',
    'SKU 555-0199-12 is back',
    'The table holds 2 147 483 647 rows and 1,234,567 deleted ones.',
    'Ticket #4155552671 was closed.',
    'ISBN 978-0-306-40615-7',
    ...LOOK_ALIKES,
  ])('passes %j untouched', (text) => {
    expect(phoneNumberDetectorUS.find(text)).toEqual([]);
  });

  it('keeps its streaming contract', () => {
    for (const text of ['Please call +1 415 555 2671 after five, or (415) 555-2671 tomorrow.', 'London: +44 20 7946 0958. Berlin: +49 30 901820 then.', CLEAN_PROSE, ...LOOK_ALIKES]) expectPendingContract(phoneNumberDetectorUS, text);
  });

  it('takes a bare run of digits only as E.164, and separators only where the country groups', () => {
    expect(found('number 4155552671 or +14155552671')).toEqual([{ type: 'phone_number', text: '+14155552671' }]);
    expect(found('ref 2024-000123 and 4155-552-671')).toEqual([]);
  });

  it('leaves the extension out and the identifiers alone', () => {
    expect(found('Call 415-555-2671 ext. 12 today')).toEqual([{ type: 'phone_number', text: '415-555-2671' }]);
    expect(found('part 903-320-3663, Ticket no. 415 555 2671, confirmation number: (415) 555-2671')).toEqual([]);
  });

  it('refuses a country libphonenumber-js does not know', () => {
    expect(() => phoneNumberDetector('XX')).toThrow(/not a country/);
  });

  it('holds back an identifier’s name with the digits after it, and a last word', () => {
    expect(phoneNumberDetectorUS.pending('See order no. 415 55')).toBe(4);
    expect(phoneNumberDetectorUS.pending('See order no. ')).toBe(4);
    expect(phoneNumberDetectorUS.pending('call me at 415 55')).toBe(11);
    expect(phoneNumberDetectorUS.pending('call me at')).toBe(8);
    for (const text of ['See order no. 415 555 2671 or call 415 555 2671.', 'x415-555-2671 and ORD415-555-2671 vs (415) 555-2671']) expectPendingContract(phoneNumberDetectorUS, text);
  });

  it('holds nothing of ordinary prose ending in a space', () => {
    expect(phoneNumberDetectorUS.pending(CLEAN_PROSE)).toBe(CLEAN_PROSE.length);
  });
});
