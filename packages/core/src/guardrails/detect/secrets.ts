// API keys and tokens by their documented formats, with an entropy check so that placeholders and documentation examples pass.
import type { Detection, Detector } from './detector.js';
import { shannonEntropy } from './shannon-entropy.js';
import { asciiClass, isAsciiAlnum, isAsciiLetter, trailingRun } from './text-runs.js';

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
  { type: 'anthropic_api_key', hints: ['sk-ant-'], pattern: new RegExp(`(?<![\\w-])sk-ant-(?:api|admin|oat)\\d{2}-[A-Za-z0-9_-]{32,}${TOKEN_END}`, 'g'), random: (m) => m[0].replace(/^sk-ant-(?:api|admin|oat)\d{2}-/, '') },
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

const inToken = asciiClass((code) => isAsciiAlnum(code) || code === 45 || code === 95 || code === 46 || code === 47 || code === 58 || code === 43 || code === 61);

/** How each format starts, what may follow its prefix, and what may not come just before it (its pattern's lookbehind). */
interface SecretStart {
  readonly prefix: string;
  readonly body: Uint8Array;
  /** Characters the format may not follow; undefined: it may start anywhere. */
  readonly notAfter: Uint8Array | undefined;
}
const WORD_OR_DASH = asciiClass((code) => isAsciiAlnum(code) || code === 95 || code === 45);
const UPPER_OR_DIGIT = asciiClass((code) => (code >= 65 && code <= 90) || (code >= 48 && code <= 57));
const ALNUM = asciiClass(isAsciiAlnum);
const BASE64URL = asciiClass((code) => isAsciiAlnum(code) || code === 95 || code === 45);
const starts = (prefixes: readonly string[], body: Uint8Array, notAfter: Uint8Array | undefined = WORD_OR_DASH): SecretStart[] => prefixes.map((prefix) => ({ prefix, body, notAfter }));
const STARTS: readonly SecretStart[] = [
  ...starts(['sk-', 'AIza'], BASE64URL),
  ...starts(['AKIA', 'ASIA', 'ABIA', 'ACCA'], UPPER_OR_DIGIT, UPPER_OR_DIGIT),
  ...starts(['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'], ALNUM),
  ...starts(['github_pat_'], asciiClass((code) => isAsciiAlnum(code) || code === 95)),
  ...starts(['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-'], BASE64URL),
  ...starts(['eyJ'], asciiClass((code) => isAsciiAlnum(code) || code === 95 || code === 45 || code === 46)),
  ...starts(['https://hooks.slack.com/'], asciiClass((code) => isAsciiAlnum(code) || code === 47), undefined),
];
/** The formats by first character, for the common case of a character no secret starts with. */
const BY_FIRST = new Map<number, SecretStart[]>();
for (const start of STARTS) BY_FIRST.set(start.prefix.charCodeAt(0), [...(BY_FIRST.get(start.prefix.charCodeAt(0)) ?? []), start]);

/** Whether a secret of format `start` may begin at `at` and still be growing at the end of `text`. */
function growingFrom(text: string, at: number, start: SecretStart): boolean {
  if (start.notAfter && at > 0) {
    const before = text.charCodeAt(at - 1);
    if (before < 128 && start.notAfter[before] === 1) return false;
  }
  const { prefix, body } = start;
  const shared = Math.min(prefix.length, text.length - at);
  for (let i = 0; i < shared; i++) if (text.charCodeAt(at + i) !== prefix.charCodeAt(i)) return false;
  for (let i = at + prefix.length; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 127 || body[code] === 0) return false;
  }
  return true;
}

/** The first place in the trailing token from which a secret may still be growing (`key=sk-...`, `Bearer:eyJ...`, `url=https://hooks...`). */
function tokenPending(text: string, at: number): number {
  for (let i = at; i < text.length; i++) {
    const candidates = BY_FIRST.get(text.charCodeAt(i));
    if (candidates && candidates.some((start) => growingFrom(text, i, start))) return i;
  }
  return text.length;
}

/** `abc` as a pattern of its prefixes, `a(?:b(?:c)?)?`, from its atoms. */
const prefixesOf = (atoms: readonly string[]): string => atoms.reduceRight((rest, atom) => `${atom}(?:${rest})?`, '');
const atoms = (name: string) => [...name].map((char) => (char === '_' ? '_?' : char));
/**
 * An AWS secret's value counts only after its name: while the name (or the start of it), its `=` or `:` and the start of the
 * value end the text, hold back from the name, so that the value is never passed on without it.
 */
const AWS_NAME_IN_PROGRESS = new RegExp(
  `\\b(?:(?:aws_?secret_?access_?key|secret_?access_?key)\\b["']?\\s*[:=]?\\s*["']?[A-Za-z0-9/+]{0,40}|${prefixesOf(atoms('aws_secret_access_key'))}|${prefixesOf(atoms('secret_access_key'))})$`,
  'i',
);
const AWS_WINDOW = 80;
const NAME_LETTERS = asciiClass((code) => isAsciiLetter(code) || code === 95);
const MAX_TOKEN = 512;
const MAX_PRIVATE_KEY = 8192;
const BEGIN = '-----BEGIN';
/** A whole END line (`-----END RSA PRIVATE KEY-----`): before it, a key block is still open. */
const END_LINE = /-----END [A-Z0-9 ]*-----/g;

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
    // (indexOf, then on to the last one: far faster than lastIndexOf over text that has none.)
    let begin = text.indexOf('-----BEGIN');
    for (let next = begin; next >= 0; next = text.indexOf('-----BEGIN', next + 1)) begin = next;
    if (begin >= 0 && text.length - begin < MAX_PRIVATE_KEY) {
      END_LINE.lastIndex = begin;
      if (!END_LINE.test(text)) return begin;
    }
    let held = text.length;
    // And so does the start of a BEGIN line (not the dashes that close an END line or a word).
    const last = text.charCodeAt(text.length - 1);
    if (last === 45 || (last >= 66 && last <= 78)) {
      for (let length = Math.min(BEGIN.length, text.length); length > 0 && held === text.length; length--) {
        const from = text.length - length;
        const before = from > 0 ? text.charCodeAt(from - 1) : 32;
        if (before !== 45 && (before > 127 || UPPER_OR_DIGIT[before] === 0) && text.endsWith(BEGIN.slice(0, length))) held = from;
      }
    }
    // An AWS secret key's name near the end, or a last word that may be the start of one (`a...`, `s...`).
    const window = Math.max(0, text.length - AWS_WINDOW);
    const word = trailingRun(text, NAME_LETTERS, 22);
    const first = text.charCodeAt(word) | 32;
    if ((word < text.length && (first === 97 || first === 115)) || text.indexOf('ccess', window) >= 0 || text.indexOf('CCESS', window) >= 0) {
      const aws = AWS_NAME_IN_PROGRESS.exec(text.slice(window));
      if (aws) held = window + aws.index;
    }
    const at = trailingRun(text, inToken, MAX_TOKEN);
    return at === text.length ? Math.min(held, at) : Math.min(held, tokenPending(text, at));
  },

};

export const SECRET_TYPES: readonly string[] = secretsDetector.types;
