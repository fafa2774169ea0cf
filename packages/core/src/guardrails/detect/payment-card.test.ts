// Unit tests of the payment card detector: issuers' published test numbers it must find, numbers it must leave alone, Luhn, and its streaming contract.
import { describe, expect, it } from 'vitest';
import { luhnValid, paymentCardDetector } from './payment-card.js';
import { CLEAN_PROSE, expectPendingContract, LOOK_ALIKES } from './pending-property.js';

const found = (text: string) => paymentCardDetector.find(text).map(({ type, start, end }) => ({ type, text: text.slice(start, end) }));

describe('luhnValid', () => {
  it('accepts valid check digits and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398710')).toBe(false);
  });
});

describe('paymentCardDetector', () => {
  it.each([
    ['Visa 4111 1111 1111 1111, exp 12/27', '4111 1111 1111 1111'],
    ['card 4111-1111-1111-1111.', '4111-1111-1111-1111'],
    ['Mastercard 5555 5555 5555 4444 ok', '5555 5555 5555 4444'],
    ['Mastercard 2-series 2223003122003222', '2223003122003222'],
    ['amex 3782 822463 10005 ok', '3782 822463 10005'],
    ['amex 378282246310005', '378282246310005'],
    ['Discover 6011 1111 1111 1117', '6011 1111 1111 1117'],
    ['JCB 3530111333300000', '3530111333300000'],
    ['Diners 3056 9309 0259 04', '3056 9309 0259 04'],
    ['Visa 13-digit 4222222222222', '4222222222222'],
    // A number just before the card is not part of it.
    ['Qty 12 4111 1111 1111 1111 ok', '4111 1111 1111 1111'],
  ])('finds the card in %j', (text, card) => {
    expect(found(text)).toEqual([{ type: 'payment_card', text: card }]);
  });

  it('gives exact offsets', () => {
    expect(paymentCardDetector.find('pay 4111 1111 1111 1111 or 5555555555554444')).toEqual([
      { type: 'payment_card', start: 4, end: 23 },
      { type: 'payment_card', start: 27, end: 43 },
    ]);
  });

  it.each([
    // Luhn fails.
    'card 4111 1111 1111 1112',
    // Luhn passes but no issuer starts so: 0000... and 1234 5678 9012 3452.
    'ids 0000 0000 0000 0000 and 1234 5678 9012 3452',
    // Mixed separators and odd grouping are not how cards are written.
    '4111-1111 1111-1111 and 41 11 11 11 11 11 11 11',
    // Longer runs of digits: an EAN, a tracking number, decimals.
    'EAN 4006381333931, tracking 41111111111111111111, ratio 0.4111111111111111',
    ...LOOK_ALIKES,
  ])('passes %j untouched', (text) => {
    expect(paymentCardDetector.find(text)).toEqual([]);
  });

  it('keeps its streaming contract', () => {
    for (const text of ['Please charge 4111 1111 1111 1111 tomorrow, and refund 3782 822463 10005 too.', 'Cards 5555-5555-5555-4444 and 6011111111111117 then 12 4111 1111 1111 1111 end', CLEAN_PROSE, ...LOOK_ALIKES]) expectPendingContract(paymentCardDetector, text);
  });

  it('holds nothing of ordinary prose ending in a space', () => {
    expect(paymentCardDetector.pending(CLEAN_PROSE)).toBe(CLEAN_PROSE.length);
  });
});
