// Prompt-injection heuristics, scored: instruction overrides, jailbreak role-play, fake chat-turn markers, and hidden-text tricks.
import type { Detection, Detector } from './detector.js';
import { trailingRun } from './text-runs.js';

/** The score at which a text counts as an injection attempt: one strong signal, or several weak ones. */
export const PROMPT_INJECTION_THRESHOLD = 1;

interface Signal {
  readonly type: string;
  readonly score: number;
  readonly pattern: RegExp;
}

const EARLIER = '(?:previous|prior|above|earlier|preceding|former|initial|original|system|developer|all(?:\\s+(?:the|your|of\\s+the))?)';
const ORDERS = '(?:instructions?|prompts?|rules|directions|directives|guidelines|guidance|constraints|programming|context|messages?)';
const SIGNALS: readonly Signal[] = [
  // "ignore all previous instructions", "disregard the system prompt", "forget your prior rules".
  { type: 'instruction_override', score: 1, pattern: new RegExp(`\\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon)\\s+(?:(?:all|any|every|each|the|your|my|these|those|of)\\s+){0,3}${EARLIER}\\s+(?:(?:the|your|of)\\s+)?${ORDERS}\\b`, 'gi') },
  { type: 'instruction_override', score: 1, pattern: /\b(?:new|updated|real|actual)\s+instructions?\s*:\s*(?:you|ignore|from now)/gi },
  { type: 'instruction_override', score: 0.6, pattern: /\bfrom now on,?\s+you\s+(?:will|must|are|shall)\b/gi },
  { type: 'prompt_leak', score: 0.7, pattern: /\b(?:reveal|print|show|output|repeat|leak|dump|disclose|tell me)\s+(?:me\s+)?(?:your|the)\s+(?:(?:full|entire|whole|original|hidden|secret)\s+)?(?:system\s+prompt|initial\s+(?:prompt|instructions)|hidden\s+instructions|instructions\s+(?:above|you\s+were\s+given))\b/gi },
  { type: 'role_play', score: 1, pattern: /\b(?:you\s+are\s+now|act\s+as|pretend\s+to\s+be|roleplay\s+as)\s+(?:an?\s+)?(?:DAN|unrestricted|unfiltered|uncensored|jailbroken|evil)\b/gi },
  { type: 'role_play', score: 1, pattern: /\bpretend\s+(?:that\s+)?you\s+(?:have|had|are\s+under)\s+no\s+(?:restrictions|rules|limits|guidelines|filters)\b/gi },
  { type: 'role_play', score: 0.8, pattern: /\b(?:DAN|Do Anything Now)\b(?=[^.]{0,80}\b(?:mode|prompt|jailbreak|no\s+restrictions|anything)\b)/g },
  { type: 'role_play', score: 0.5, pattern: /\bjailbr(?:eak|oken)\b/gi },
  { type: 'role_play', score: 0.4, pattern: /\b(?:developer|god|admin|sudo)\s+mode\b/gi },
  { type: 'role_play', score: 0.3, pattern: /\bwithout\s+(?:any\s+)?(?:restrictions|filters|censorship|safety\s+guidelines)\b/gi },
  // Chat-template tokens and turn markers injected into text.
  { type: 'role_marker', score: 1, pattern: /<\|(?:im_start|im_end|system|endoftext|start_header_id|end_header_id|eot_id)\|>/g },
  { type: 'role_marker', score: 0.8, pattern: /\[\/?INST\]|<<\/?SYS>>/g },
  { type: 'role_marker', score: 0.5, pattern: /^\s*#{2,4}\s*(?:system|assistant)\s*(?:prompt|message)?\s*:\s*$/gim },
];

// Hidden text: Unicode tag characters (outside an emoji tag sequence), invisible characters between letters, bidi overrides.
const TAGS = /(?<!\u{1F3F4}[\u{E0020}-\u{E007E}]*)[\u{E0000}-\u{E007F}]+/gu;
const ZERO_WIDTH = /(?<=[\p{L}\p{N}])[\u200B\u2060\uFEFF]+(?=[\p{L}\p{N}])|(?<=[A-Za-z])[\u200C\u200D]+(?=[A-Za-z])/gu;
const BIDI = /[\u202A-\u202E\u2066-\u2069]+/g;
const HIDDEN_HINT = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069\u{E0000}-\u{E007F}]/u;
/** Text that could hold a phrase signal at all. */
const PHRASE_HINT = /ignor|disregard|forget|overrid|bypass|skip|drop|abandon|instruction|from now|reveal|print|show|output|repeat|leak|dump|disclose|tell me|you are now|act as|pretend|roleplay|DAN|Do Anything|jailbr|mode|without|<\||INST\]|SYS>>|#/i;

export const promptInjectionDetector: Detector = {
  name: 'prompt_injection',
  types: ['instruction_override', 'prompt_leak', 'role_play', 'role_marker', 'hidden_text'],
  maxLength: 200,
  find(text) {
    const found: Detection[] = [];
    if (PHRASE_HINT.test(text)) {
      for (const signal of SIGNALS) {
        signal.pattern.lastIndex = 0;
        for (const match of text.matchAll(signal.pattern)) found.push({ type: signal.type, start: match.index, end: match.index + match[0].length, score: signal.score });
      }
    }
    if (HIDDEN_HINT.test(text)) {
      for (const match of text.matchAll(TAGS)) found.push({ type: 'hidden_text', start: match.index, end: match.index + match[0].length, score: 1 });
      // A stray zero-width space is common in pasted text: three of them make one signal.
      for (const match of text.matchAll(ZERO_WIDTH)) found.push({ type: 'hidden_text', start: match.index, end: match.index + match[0].length, score: 0.34 });
      for (const match of text.matchAll(BIDI)) found.push({ type: 'hidden_text', start: match.index, end: match.index + match[0].length, score: 0.5 });
    }
    if (found.length < 2) return found;
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    return found.filter((detection, index) => index === 0 || detection.start >= (found[index - 1] as Detection).end);
  },
  // A phrase may still be growing: hold back the last few words (up to a sentence end or 200 characters).
  pending(text) {
    const at = trailingRun(text, (code) => code !== 46 && code !== 33 && code !== 63 && code !== 10, 200);
    return at === text.length ? at : text.length - Math.min(text.length - at, 80);
  },
};

/** The sum of the scores of `text`'s signals (for tests and tuning). */
export function injectionScore(text: string): number {
  let score = 0;
  for (const detection of promptInjectionDetector.find(text)) score += detection.score ?? 1;
  return score;
}
