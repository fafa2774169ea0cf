// Unit tests of the email detector: addresses it must find, look-alikes from code and package managers it must leave alone, and its streaming contract.
import { describe, expect, it } from 'vitest';
import { emailDetector } from './email.js';
import { CLEAN_PROSE, expectPendingContract, LOOK_ALIKES } from './pending-property.js';

const found = (text: string) => emailDetector.find(text).map((d) => text.slice(d.start, d.end));

describe('emailDetector', () => {
  it('finds addresses with exact bounds', () => {
    const text = 'Write to jane.doe+news@mail.acme.co.uk, or ops@switchyard.dev.';
    expect(emailDetector.find(text)).toEqual([
      { type: 'email', start: 9, end: 38 },
      { type: 'email', start: 43, end: 61 },
    ]);
  });

  it('finds addresses in other scripts, in brackets and after mailto:', () => {
    expect(found('Kontakt: <jürgen.müller@beispiel.de>')).toEqual(['jürgen.müller@beispiel.de']);
    expect(found('mailto:a_b-c@sub-domain.acme.org?subject=hi')).toEqual(['a_b-c@sub-domain.acme.org']);
    expect(found('(bob@acme.com)')).toEqual(['bob@acme.com']);
  });

  it.each([
    'npm i -D @types/node @scope/package',
    'install react@18.2.0 and lodash@4.17.21',
    'user@1.2.3 is a version',
    'pnpm add typescript@latest',
    '@Component({ selector: "app" })\nclass A {}',
    'x@y is not an address',
    'git clone git@github.com:org/repo.git',
    'weights @ inputs.T',
    'a@b.c has a one-letter TLD',
    'a..b@acme.com has an invalid local part',
    ...LOOK_ALIKES,
  ])('passes %j untouched', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('leaves the domains reserved for examples alone (RFC 2606, RFC 6761)', () => {
    expect(found('ann@example.com, bo@example.org, cy@mail.example, di@host.test, ed@x.invalid, fay@box.localhost')).toEqual([]);
    expect(found('but ann@example.community is real')).toEqual(['ann@example.community']);
  });

  it('does not take the dot that ends a sentence, nor stop in the middle of a domain', () => {
    expect(found('Mail a@acme.com.')).toEqual(['a@acme.com']);
    expect(found('a@acme.com.au')).toEqual(['a@acme.com.au']);
  });

  it('holds back only the word that might still become an email', () => {
    expect(emailDetector.pending(CLEAN_PROSE)).toBe(CLEAN_PROSE.length);
    expect(emailDetector.pending('write to jane')).toBe(9);
    expect(emailDetector.pending('write to jane@exam')).toBe(9);
    expect(emailDetector.pending('done!')).toBe(5);
  });

  it('keeps its streaming contract', () => {
    for (const text of ['mail me: a.b@acme.com, c@d.org. ok', 'git@github.com:org/x and x@y.io', 'react@18.2.0 vs me@react.dev', 'x.a@b.com .c@d.com', CLEAN_PROSE, ...LOOK_ALIKES]) expectPendingContract(emailDetector, text);
  });
});
