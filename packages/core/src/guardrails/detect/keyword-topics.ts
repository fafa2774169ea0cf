// Topic deny lists: each topic marked by keywords or phrases, matched as whole words in any case and any script.
import type { Detection, Detector } from './detector.js';

export interface KeywordTopic {
  readonly topic: string;
  readonly keywords: readonly string[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function keywordTopicsDetector(topics: readonly KeywordTopic[]): Detector {
  const compiled = topics.map(({ topic, keywords }) => ({
    topic,
    // Whole words by Unicode letters and digits; a phrase's spaces match any run of white space.
    pattern: new RegExp(`(?<![\\p{L}\\p{N}_])(?:${keywords.map((keyword) => escape(keyword.trim()).replace(/\s+/g, '\\s+')).join('|')})(?![\\p{L}\\p{N}_])`, 'giu'),
  }));
  const longest = Math.max(1, ...topics.flatMap(({ keywords }) => keywords.map((keyword) => keyword.length)));
  return {
    name: 'topics',
    types: topics.map(({ topic }) => topic),
    maxLength: longest * 2,
    find(text) {
      const found: Detection[] = [];
      for (const { topic, pattern } of compiled) for (const match of text.matchAll(pattern)) found.push({ type: topic, start: match.index, end: match.index + match[0].length });
      if (found.length < 2) return found;
      found.sort((a, b) => a.start - b.start || b.end - a.end);
      return found.filter((detection, index) => index === 0 || detection.start >= (found[index - 1] as Detection).end);
    },
    // A keyword in progress ends the text: hold back the last `longest` characters from a word start.
    pending(text) {
      const from = Math.max(0, text.length - longest);
      const word = text.slice(from).search(/(?<![\p{L}\p{N}_])[\p{L}\p{N}]/u);
      return word < 0 ? text.length : from + word;
    },
  };
}
