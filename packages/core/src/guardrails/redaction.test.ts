import { describe, expect, it } from 'vitest';
import { mask, Placeholders, redact } from './redaction.js';

describe('redact', () => {
  it('numbers placeholders per kind in order of appearance, the same value the same placeholder', () => {
    const text = 'a@x.io b@y.io a@x.io 123';
    const detections = [
      { type: 'email', start: 0, end: 6 },
      { type: 'email', start: 7, end: 13 },
      { type: 'email', start: 14, end: 20 },
      { type: 'us_ssn', start: 21, end: 24 },
    ];
    expect(redact(text, detections, 'placeholder', new Placeholders())).toBe('[EMAIL_1] [EMAIL_2] [EMAIL_1] [US_SSN_1]');
  });

  it('keeps the first of overlapping detections (the longer on the same start)', () => {
    const detections = [
      { type: 'short', start: 0, end: 3 },
      { type: 'long', start: 0, end: 7 },
      { type: 'inner', start: 4, end: 9 },
    ];
    expect(redact('abcdefghij', detections, 'placeholder', new Placeholders())).toBe('[LONG_1]hij');
  });

  it('masks letters and digits, keeping punctuation', () => {
    expect(mask('jane.doe+1@mail.co')).toBe('****.***+*@****.**');
    expect(mask('Zoë-42')).toBe('***-**');
  });
});

describe('Placeholders', () => {
  it('restores only reversible placeholders, leaving others and look-alikes', () => {
    const placeholders = new Placeholders();
    const email = placeholders.placeholderFor('email', 'a@x.io', true);
    const card = placeholders.placeholderFor('payment_card', '4111', false);
    expect(placeholders.restore(`${email} ${card} [NOT_A_1] [EMAIL_9]`)).toBe('a@x.io [PAYMENT_CARD_1] [NOT_A_1] [EMAIL_9]');
  });

  it('holds back a placeholder that may still be growing, no longer than the longest one', () => {
    const placeholders = new Placeholders();
    placeholders.placeholderFor('email', 'a@x.io', true);
    expect(placeholders.pending('see [EMA')).toBe(4);
    expect(placeholders.pending('see [EMAIL_1] ok')).toBe(16);
    // Longer than any placeholder made: cannot be one.
    expect(placeholders.pending('see [this is a long bracket')).toBe(27);
  });
});
