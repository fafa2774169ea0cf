// API keys and tokens by their documented formats, with an entropy check so that placeholders and documentation examples pass.
import type { Detection, Detector } from './detector.js';
import { isAsciiAlnum, shannonEntropy, trailingRun } from './text-runs.js';

interface SecretFormat {
  readonly type: string;
  /** Text without any of these cannot hold the format: the pattern is not even run. */
  readonly hints: readonly string[];
  readonly pattern: RegExp;
  /** The random part, whose entropy is checked (default: the whole match). */
  readonly random?: (match: RegExpExecArray) => string;
  /** Bits per character the random part must reach (default 3.5; base62 of a real key is about 5.9). */
  readonly minEntropy?: number;
  /** Extra check of a candidate that passed the pattern and the entropy. */
  readonly valid?: (match: RegExpExecArray, text: string) => boolean;
}

/** The random tail after the first `n` characters (the format's prefix). */
const after = (n: number) => (match: RegExpExecArray) => match[0].slice(n);
/** Documentation examples published by the providers themselves: well known, never secret. */
const DOC_EXAMPLES = new Set(['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);
const TOKEN_END = '(?![A-Za-z0-9_-])';

const FORMATS: readonly SecretFormat[] = [
  { type: 'anthropic_api_key', hints: ['sk-ant-'], pattern: new RegExp(`(?<![\\w-])sk-ant-(?:api|admin|oat)\\d{2}-[A-Za-z0-9_-]{32,}${TOKEN_END}`, 'g'), random: after(14) },
  // Project, service-account and admin keys, and the older 48-character form.
  { type: 'openai_api_key', hints: ['sk-'], pattern: new RegExp(`(?<![\\w-])sk-(?!ant-)(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{32,}${TOKEN_END}`, 'g'), random: (m) => m[0].replace(/^sk-(?:(?:proj|svcacct|admin|None)-)?/, '') },
  { type: 'google_api_key', hints: ['AIza'], pattern: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g, random: after(4), minEntropy: 3.8 },
  { type: 'aws_access_key_id', hints: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])/g, random: after(4), minEntropy: 3 },
  // Forty characters of base64 are everywhere (hashes, paths): only right after an AWS secret key's name.
  {
    type: 'aws_secret_access_key',
    hints: ['ccess', 'ACCESS'],
    pattern: /\b(?:aws_?secret_?access_?key|secret_?access_?key|SecretAccessKey)\b["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    random: (m) => m[1] as string,
    minEntropy: 4,
  },
  { type: 'github_token', hints: ['gh'], pattern: /(?<![\w-])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g, random: after(4) },
  { type: 'github_token', hints: ['github_pat_'], pattern: /(?<![\w-])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/g, random: after(11) },
  { type: 'slack_token', hints: ['xox'], pattern: /(?<![\w-])xox[abposr]-(?:\d+-)+[A-Za-z0-9]{16,}(?![A-Za-z0-9-])/g, random: (m) => m[0].slice(m[0].lastIndexOf('-') + 1), minEntropy: 3.3 },
  { type: 'slack_webhook', hints: ['hooks.slack.com'], pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,}/g, random: (m) => m[0].slice(m[0].lastIndexOf('/') + 1), minEntropy: 3.3 },
  { type: 'stripe_key', hints: ['_live_', '_test_'], pattern: /(?<![\w-])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}(?![A-Za-z0-9_])/g, random: (m) => m[0].slice(8), minEntropy: 3.3 },
  { type: 'private_key', hints: ['PRIVATE KEY'], pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]{16,}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g, random: (m) => m[0].replace(/-----[A-Z0-9 ]+-----|\s/g, ''), minEntropy: 4 },
  { type: 'jwt', hints: ['eyJ'], pattern: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g, random: (m) => m[0].slice(m[0].lastIndexOf('.') + 1), minEntropy: 3.5, valid: (m) => jwtHeader(m[0]) },
];

/** A JWT's first part is base64url JSON naming its algorithm. */
function jwtHeader(token: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/** A run of one character repeated, or a sequence, in the random part: `xxxxxxxx`, `0123456789`: a placeholder. */
function placeholderLike(random: string): boolean {
  if (/(.)\1{7,}/.test(random)) return true;
  if (/(?:0123456789|abcdefghij|ABCDEFGHIJ|1234567890)/.test(random)) return true;
  return /(?:your|example|placeholder|redacted|dummy|sample|xxxx|fake|test(?:ing)?key|changeme|insert)/i.test(random);
}

/** Where a secret may be growing at the end: a token whose start is (or could still become) a known prefix. */
const PREFIXES = ['sk-', 'AKIA', 'ASIA', 'ABIA', 'ACCA', 'AIza', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-', 'sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'eyJ', 'https://hooks.slack.com/'];
const inToken = (code: number) => isAsciiAlnum(code) || code === 45 || code === 95 || code === 46 || code === 47 || code === 58 || code === 43 || code === 61;
const MAX_TOKEN = 512;
const MAX_PRIVATE_KEY = 8192;

export const secretsDetector: Detector = {
  name: 'secrets',
  types: [...new Set(FORMATS.map((format) => format.type))],
  maxLength: MAX_PRIVATE_KEY,
  find(text) {
    const found: Detection[] = [];
    for (const format of FORMATS) {
      if (!format.hints.some((hint) => text.includes(hint))) continue;
      format.pattern.lastIndex = 0;
      for (let match = format.pattern.exec(text); match; match = format.pattern.exec(text)) {
        const random = format.random ? format.random(match) : match[0];
        if (DOC_EXAMPLES.has(random) || DOC_EXAMPLES.has(match[0]) || placeholderLike(random)) continue;
        if (shannonEntropy(random) < (format.minEntropy ?? 3.5)) continue;
        if (format.valid && !format.valid(match, text)) continue;
        // The AWS secret pattern matches the key's name too: the detection is the value alone.
        const start = format.type === 'aws_secret_access_key' ? match.index + match[0].lastIndexOf(match[1] as string) : match.index;
        found.push({ type: format.type, start, end: match.index + match[0].length });
      }
    }
    if (found.length < 2) return found;
    // Several formats may claim one token (a JWT inside a longer token): keep the first and longest.
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    return found.filter((detection, index) => index === 0 || detection.start >= (found[index - 1] as Detection).end);
  },
  pending(text) {
    // An open private key block holds back everything from its BEGIN line until its END.
    const begin = text.lastIndexOf('-----BEGIN');
    if (begin >= 0 && text.length - begin < MAX_PRIVATE_KEY && !text.includes('-----END', begin)) return begin;
    const at = trailingRun(text, inToken, MAX_TOKEN);
    if (at === text.length) return at;
    // A value after an AWS secret key's name: hold back from the name.
    const aws = /\b(?:aws_?secret_?access_?key|secret_?access_?key|SecretAccessKey)\b["']?\s*[:=]?\s*["']?[A-Za-z0-9/+]{0,40}$/i.exec(text.slice(Math.max(0, at - 40)));
    if (aws) return Math.max(0, at - 40) + aws.index;
    const token = text.slice(at);
    for (const prefix of PREFIXES) {
      const shared = Math.min(prefix.length, token.length);
      if (token.slice(0, shared) === prefix.slice(0, shared)) return at;
      // A JWT or webhook may start inside a longer run (`Bearer:eyJ...`, `url=https://hooks...`).
      const inside = token.indexOf(prefix.slice(0, 3));
      if (inside > 0) return at + inside;
    }
    return text.length;
  },
};

export const SECRET_TYPES: readonly string[] = secretsDetector.types;
