// Unit tests of the secrets detector: keys in each provider's documented format (random values made for these tests, never real keys), placeholders and look-alikes it must leave alone, and its streaming contract.
import { describe, expect, it } from 'vitest';
import { CLEAN_PROSE, expectPendingContract, LOOK_ALIKES } from './pending-property.js';
import { SECRET_TYPES, secretsDetector } from './secrets.js';

// Prefix and random part are joined at run time so that no scanner mistakes this file for a leak.
const key = (prefix: string, random: string) => `${prefix}${random}`;
const SECRETS: ReadonlyArray<readonly [type: string, value: string]> = [
  ['openai_api_key', key('sk-', 'v31QPFsBfcGz6eQUCCBKkyYITFc14PuPleRq97LNhmTgqx1G')],
  ['openai_api_key', key('sk-proj-', 'I2coVUg3vTu1eXzaAug7o9rDFBzRCfDnu7nrnZqIR-aTMIsM2lq1GXtJSeq0BJtd-XfC2te3wVyoKNVDEQxrXPcPaPnuYF1igBedQ87THy4eg506qjWYrSqG')],
  ['anthropic_api_key', key('sk-ant-api03-', 'RRDio38gbF7BSPcFTkKAwa4WnKl6xgQ_NIDQ4rjju0bZ8Y3KH4pxrSTH54JpdHdKDh-sdSbI_FutIuIhfBLFBvX4xdPPoAA')],
  ['google_api_key', key('AIza', 'zdjxymDhgOoKSWUkrE14_AtQ4OnW1zqhcef')],
  ['aws_access_key_id', key('AKIA', 'L7IPWNRWA7D5H6T7')],
  ['github_token', key('ghp_', 'NtqdkMhmBCK09W3hlMGZa8fOwtk0Tai2GtX2')],
  ['github_token', key('github_pat_', 'cVa8BN31LKC3qBupUpqB8m_GWnaIzYWJ9J2BINyIzcZfviCiZnicj25ClPsHRv0LSQ8mvLGfxLAYrYB7Qm')],
  ['slack_token', key('xoxb-', '733929952046-8223720481264-uXzMfpz2t3mTBYOvBGg0SYbG')],
  ['slack_webhook', key('https://hooks.slack.com/services/', 'TGKYB5E5N/BI9962F2FAT/qRfTZv6NrP7c4hBNLjbtZl3T')],
  ['stripe_key', key('sk_live_', 'ZYNaNV0TpysjUr0UjjXLQxlf')],
  ['jwt', key('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.', 'eyJzdWIiOiI0ODIxIiwibmFtZSI6IlRlc3QgVXNlciIsImlhdCI6MTc2NzIyNTYwMH0.JiFQ3voG-39nfTsIQ5bD4N7ohmt80IvYRuTDb2gQJXY')],
  ['private_key', `-----BEGIN ${'PRIVATE'} KEY-----\nuqfBf/9NhJ+3ogBTSlXoqpVNjRJSH4se0NfVmb+ju9MPL7s0KZ8xf3cEtHVvrMsW\nnWGt1PiS/ieadh42CEwB3e3FMBkOGzyUX+twYekDTX3ABhUVvwy17jWJhQ17zM3a\n-----END ${'PRIVATE'} KEY-----`],
];
const AWS_SECRET = key('M55HeheduxDPqH55YZkQC', '+K2H+LHuamLuE7VDt4Y');

const found = (text: string) => secretsDetector.find(text).map(({ type, start, end }) => ({ type, text: text.slice(start, end) }));

describe('secretsDetector', () => {
  it('names every type it can find', () => {
    expect([...SECRET_TYPES].sort()).toEqual([...new Set([...SECRETS.map(([type]) => type), 'aws_secret_access_key'])].sort());
  });

  it.each(SECRETS)('finds a %s in a sentence', (type, value) => {
    const text = `Here it is: ${value} and nothing else.`;
    expect(secretsDetector.find(text)).toEqual([{ type, start: 12, end: 12 + value.length }]);
  });

  it.each(SECRETS)('finds a %s after a separator inside a longer token', (type, value) => {
    expect(found(`TOKEN=${value}`)).toEqual([{ type, text: value }]);
  });

  it('finds an AWS secret access key after its name, as the value alone', () => {
    expect(found(`aws_secret_access_key = ${AWS_SECRET}\nregion = eu-west-1`)).toEqual([{ type: 'aws_secret_access_key', text: AWS_SECRET }]);
    expect(found(`"SecretAccessKey": "${AWS_SECRET}"`)).toEqual([{ type: 'aws_secret_access_key', text: AWS_SECRET }]);
  });

  it.each([
    // Placeholders and the providers' own documentation examples.
    'export OPENAI_API_KEY=sk-your-key-here',
    'sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx and sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    'sk-ant-api03-your-api-key-goes-here-replace-me-with-a-real-one-0000',
    'AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx and ghp_0123456789abcdefghij0123456789abcdef',
    'sk_test_1234567890abcdefghijklmn',
    // Forty characters of base64 without a key name, hashes, paths, kebab-case words.
    `the value ${AWS_SECRET} alone`,
    'sha1 4a5e1e4baab89f3a32518a88c31bc87f618f7667 at /usr/local/lib/node_modules/typescript/lib/tsserver.js',
    'see the task-management-system-for-the-whole-company-roadmap page',
    // A header that is not a JWT's.
    'eyJub3QiOiJhIGp3dCBoZWFkZXIifQ.eyJzdWIiOiI0ODIxIiwiaWF0IjoxNzY3MjI1NjAwfQ.JiFQ3voG-39nfTsIQ5bD4N7ohmt80IvYRuTDb2gQJXY',
    '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhuW7pD8xqTmV0p3vbV9Fyy3rW4Wn\n-----END PUBLIC KEY-----',
    ...LOOK_ALIKES,
  ])('passes %j untouched', (text) => {
    expect(secretsDetector.find(text)).toEqual([]);
  });

  it('keeps its streaming contract on every format', () => {
    for (const [, value] of SECRETS) {
      expectPendingContract(secretsDetector, `Use ${value} for the deploy, then rotate it.`);
      expectPendingContract(secretsDetector, `Authorization:Bearer:${value}.`);
    }
    expectPendingContract(secretsDetector, `aws_secret_access_key = ${AWS_SECRET} then more`);
    expectPendingContract(secretsDetector, `{"SecretAccessKey":"${AWS_SECRET}"} ok`);
    for (const text of [CLEAN_PROSE, ...LOOK_ALIKES]) expectPendingContract(secretsDetector, text);
  });

  it('holds nothing of ordinary prose ending in a space', () => {
    expect(secretsDetector.pending(CLEAN_PROSE)).toBe(CLEAN_PROSE.length);
  });
});
