// A deny list of the caller's own regular expressions, each finding named.
import type { Detection, Detector } from './detector.js';

export interface NamedRegExp {
  readonly name: string;
  readonly pattern: RegExp;
}

const DEFAULT_MAX_LENGTH = 256;

/**
 * Whether a pattern might match a line break, read from its source (erring towards yes): white space and negated classes
 * (`\s`, `\S`, `\W`, `\D`, `[^...]`), escapes of control characters, code points or properties (`\n`, `\x0a`, `\u{a}`,
 * `\p{...}`), a literal line break, a class range from `\t`, or `.` with the `s` flag.
 */
export function mayMatchLineBreak(pattern: RegExp): boolean {
  const source = pattern.source;
  if (/\\[sSWDPpnrvfcux0]|\[\^|[\n\r\u2028\u2029]|\\t-/.test(source)) return true;
  // An unescaped `.` outside a class matches a line break only with the `s` flag.
  return pattern.dotAll && /(?:^|[^\\])(?:\\\\)*\./.test(source);
}

/** Finds every match of every pattern (global, whatever flags it was given; empty matches never count). */
export function patternListDetector(patterns: readonly NamedRegExp[], maxLength = DEFAULT_MAX_LENGTH): Detector {
  const compiled = patterns.map(({ name, pattern }) => ({ name, pattern: new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags.replace('y', '') : `${pattern.flags.replace('y', '')}g`) }));
  const crossesLines = compiled.some(({ pattern }) => mayMatchLineBreak(pattern));
  return {
    name: 'regex',
    types: [...new Set(compiled.map(({ name }) => name))],
    maxLength,
    find(text) {
      const found: Detection[] = [];
      for (const { name, pattern } of compiled) {
        for (const match of text.matchAll(pattern)) {
          if (match[0].length === 0) continue;
          found.push({ type: name, start: match.index, end: match.index + match[0].length });
        }
      }
      if (found.length < 2) return found;
      found.sort((a, b) => a.start - b.start || b.end - a.end);
      return found.filter((detection, index) => index === 0 || detection.start >= (found[index - 1] as Detection).end);
    },
    // A pattern may match anything: what may still grow into a match is the last `maxLength` characters, after the last
    // line break unless a pattern can match one.
    pending(text) {
      if (crossesLines) return Math.max(0, text.length - maxLength);
      const newline = text.lastIndexOf('\n');
      return Math.max(newline + 1, text.length - maxLength);
    },
  };
}
