// Topic deny lists: each topic marked by keywords or phrases, matched as whole words in any case and any script.
import type { Detection, Detector } from './detector.js';

export interface KeywordTopic {
  readonly topic: string;
  readonly keywords: readonly string[];
}

const WORD = /[\p{L}\p{N}_]/u;
const isSpace = (code: number) => code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));
/** Whether the character at `at` continues a word (so that no keyword may start right after it); a surrogate half does not count. */
const inWord = (text: string, at: number) => {
  const code = text.charCodeAt(at);
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return !(code >= 0xd800 && code <= 0xdfff) && WORD.test(text.charAt(at));
};
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function keywordTopicsDetector(topics: readonly KeywordTopic[]): Detector {
  const compiled = topics.map(({ topic, keywords }) => ({
    topic,
    // Whole words by Unicode letters and digits; a phrase's spaces match any run of white space.
    pattern: new RegExp(`(?<![\\p{L}\\p{N}_])(?:${keywords.map((keyword) => escape(keyword.trim()).replace(/\s+/g, '\\s+')).join('|')})(?![\\p{L}\\p{N}_])`, 'giu'),
  }));
  const longest = Math.max(1, ...topics.flatMap(({ keywords }) => keywords.map((keyword) => keyword.length)));
  const maxLength = longest * 2;
  return {
    name: 'topics',
    types: topics.map(({ topic }) => topic),
    maxLength,
    find(text) {
      const found: Detection[] = [];
      for (const { topic, pattern } of compiled) for (const match of text.matchAll(pattern)) found.push({ type: topic, start: match.index, end: match.index + match[0].length });
      if (found.length < 2) return found;
      found.sort((a, b) => a.start - b.start || b.end - a.end);
      return found.filter((detection, index) => index === 0 || detection.start >= (found[index - 1] as Detection).end);
    },
    // A keyword in progress ends the text: it starts no more than `longest` characters back (a run of white space
    // counting as one, as a phrase matches any), where a keyword may start; hold back from there.
    pending(text) {
      const stop = Math.max(0, text.length - maxLength);
      let from = text.length;
      for (let counted = 0; from > stop && counted < longest; counted++) {
        from--;
        if (isSpace(text.charCodeAt(from))) while (from > stop && isSpace(text.charCodeAt(from - 1))) from--;
      }
      while (from < text.length && (isSpace(text.charCodeAt(from)) || (from > 0 && inWord(text, from - 1)))) from++;
      if (from === text.length) return from;
      // Nor may the cut fall inside a phrase already complete: one that starts less than `longest` before it.
      const window = Math.max(stop, from - longest * 2);
      for (const { pattern } of compiled) {
        pattern.lastIndex = window;
        for (let match = pattern.exec(text); match && match.index < from; match = pattern.exec(text)) {
          if (match.index + match[0].length > from) from = match.index;
          if (match[0].length === 0) pattern.lastIndex++;
        }
        // `find` uses `matchAll`, which starts where the pattern's `lastIndex` is.
        pattern.lastIndex = 0;
      }
      return from;
    },
  };
}
