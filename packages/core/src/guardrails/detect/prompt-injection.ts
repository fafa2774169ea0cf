// Prompt-injection heuristics, scored: instruction overrides, jailbreak role-play, fake chat-turn markers, and hidden-text tricks.
import type { Detection, Detector } from './detector.js';

/** The score at which a text counts as an injection attempt: one strong signal, or several weak ones. */
export const PROMPT_INJECTION_THRESHOLD = 1;

interface Signal {
  readonly type: string;
  readonly score: number;
  readonly pattern: RegExp;
  /** Word roots (a word's first five letters, lower case) one of which the text must hold for the pattern to run at all. */
  readonly words?: readonly string[];
  /** And one of these too, when given. */
  readonly alsoWords?: readonly string[];
  /** Or, for markers that are not words: strings the text must hold. */
  readonly marks?: readonly string[];
}

const EARLIER = '(?:previous|prior|above|earlier|preceding|former|initial|original|system|developer|all(?:\\s+(?:the|your|of\\s+the))?)';
const ORDERS = '(?:instructions?|prompts?|rules|directions|directives|guidelines|guidance|constraints|programming|context|messages?)';
const SIGNALS: readonly Signal[] = [
  // "ignore all previous instructions", "disregard the system prompt", "forget your prior rules".
  {
    type: 'instruction_override',
    score: 1,
    words: ['ignor', 'disre', 'forge', 'overr', 'bypas', 'skip', 'drop', 'aband'],
    alsoWords: ['instr', 'promp', 'rule', 'rules', 'direc', 'guide', 'guida', 'const', 'progr', 'conte', 'messa'],
    pattern: new RegExp(`\\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon)\\s+(?:(?:all|any|every|each|the|your|my|these|those|of)\\s+){0,3}${EARLIER}\\s+(?:(?:the|your|of)\\s+)?${ORDERS}\\b`, 'gi'),
  },
  { type: 'instruction_override', score: 1, words: ['instr'], alsoWords: ['new', 'updat', 'real', 'actua'], pattern: /\b(?:new|updated|real|actual)\s+instructions?\s*:\s*(?:you|ignore|from now)/gi },
  { type: 'instruction_override', score: 0.6, words: ['from'], alsoWords: ['now'], pattern: /\bfrom now on,?\s+you\s+(?:will|must|are|shall)\b/gi },
  {
    type: 'prompt_leak',
    score: 0.7,
    words: ['syste', 'initi', 'hidde', 'instr'],
    alsoWords: ['revea', 'print', 'show', 'outpu', 'repea', 'leak', 'dump', 'discl', 'tell'],
    pattern: /\b(?:reveal|print|show|output|repeat|leak|dump|disclose|tell me)\s+(?:me\s+)?(?:your|the)\s+(?:(?:full|entire|whole|original|hidden|secret)\s+)?(?:system\s+prompt|initial\s+(?:prompt|instructions)|hidden\s+instructions|instructions\s+(?:above|you\s+were\s+given))\b/gi,
  },
  { type: 'role_play', score: 1, words: ['dan', 'unres', 'unfil', 'uncen', 'jailb', 'evil'], alsoWords: ['now', 'act', 'prete', 'rolep'], pattern: /\b(?:you\s+are\s+now|act\s+as|pretend\s+to\s+be|roleplay\s+as)\s+(?:an?\s+)?(?:DAN|unrestricted|unfiltered|uncensored|jailbroken|evil)\b/gi },
  { type: 'role_play', score: 1, words: ['prete'], alsoWords: ['restr', 'rules', 'limit', 'guide', 'filte'], pattern: /\bpretend\s+(?:that\s+)?you\s+(?:have|had|are\s+under)\s+no\s+(?:restrictions|rules|limits|guidelines|filters)\b/gi },
  { type: 'role_play', score: 0.8, words: ['dan', 'do'], alsoWords: ['mode', 'promp', 'jailb', 'restr', 'anyth'], pattern: /\b(?:DAN|Do Anything Now)\b(?=[^.]{0,80}\b(?:mode|prompt|jailbreak|no\s+restrictions|anything)\b)/g },
  { type: 'role_play', score: 0.5, words: ['jailb'], pattern: /\bjailbr(?:eak|oken)\b/gi },
  { type: 'role_play', score: 0.4, words: ['devel', 'god', 'admin', 'sudo'], alsoWords: ['mode'], pattern: /\b(?:developer|god|admin|sudo)\s+mode\b/gi },
  { type: 'role_play', score: 0.3, words: ['witho'], alsoWords: ['restr', 'filte', 'censo', 'safet'], pattern: /\bwithout\s+(?:any\s+)?(?:restrictions|filters|censorship|safety\s+guidelines)\b/gi },
  // Chat-template tokens and turn markers injected into text.
  { type: 'role_marker', score: 1, marks: ['<|'], pattern: /<\|(?:im_start|im_end|system|endoftext|start_header_id|end_header_id|eot_id)\|>/g },
  { type: 'role_marker', score: 0.8, marks: ['INST]', 'SYS>>'], pattern: /\[\/?INST\]|<<\/?SYS>>/g },
  { type: 'role_marker', score: 0.5, marks: ['#'], pattern: /^\s*#{2,4}\s*(?:system|assistant)\s*(?:prompt|message)?\s*:\s*$/gim },
];

/**
 * The marks a phrase quoted in a discussion opens with (`attacks such as "ignore previous
 * instructions"`): a quoted signal counts half, so one mention in documentation stays below
 * the threshold while an instruction given outright does not.
 */
const QUOTES = new Set([0x22, 0x27, 0x60, 0x201c, 0x2018, 0x00ab, 0x201e, 0x300c]);

// Signals are bits of one 16-bit half of a number (`ROOT_BITS`).
if (SIGNALS.length > 16) throw new Error('prompt-injection: at most 16 signals');

/** A word root (up to five ASCII letters, lower case) packed into a number: no string is made per word. */
const rootKey = (root: string) => {
  let key = 0;
  for (let i = 0; i < root.length; i++) key = key * 32 + (root.charCodeAt(i) - 96);
  return key;
};
/** For each root: the signals that name it in `words` (bit i for signal i) and, 16 bits up, in `alsoWords`: one lookup per word. */
const ROOT_BITS = new Map<number, number>();
SIGNALS.forEach((signal, index) => {
  for (const word of signal.words ?? []) ROOT_BITS.set(rootKey(word), (ROOT_BITS.get(rootKey(word)) ?? 0) | (1 << index));
  for (const word of signal.alsoWords ?? []) ROOT_BITS.set(rootKey(word), (ROOT_BITS.get(rootKey(word)) ?? 0) | (1 << (index + 16)));
});

/** One pass over the text's words: which signals have their words present (`words` bits, `alsoWords` bits). */
function signalsPresent(text: string): number {
  let bits = 0;
  let key = 0;
  let letters = 0;
  for (let i = 0; i <= text.length; i++) {
    let code = i < text.length ? text.charCodeAt(i) : 0;
    if (code >= 65 && code <= 90) code += 32;
    if (code >= 97 && code <= 122) {
      if (letters < 5) key = key * 32 + (code - 96);
      letters++;
      continue;
    }
    if (letters > 0) {
      bits |= ROOT_BITS.get(key) ?? 0;
      key = 0;
      letters = 0;
    }
  }
  const words = bits & 0xffff;
  const also = bits >>> 16;
  let present = 0;
  SIGNALS.forEach((signal, index) => {
    const bit = 1 << index;
    if (signal.marks) {
      if (signal.marks.some((mark) => text.includes(mark))) present |= bit;
    } else if (words & bit && (!signal.alsoWords || also & bit)) present |= bit;
  });
  return present;
}

// Hidden text: Unicode tag characters (outside an emoji tag sequence), invisible characters between letters, bidi overrides.
const TAGS = /(?<!\u{1F3F4}[\u{E0020}-\u{E007E}]*)[\u{E0000}-\u{E007F}]+/gu;
const ZERO_WIDTH = /(?<=[\p{L}\p{N}])[\u200B\u2060\uFEFF]+(?=[\p{L}\p{N}])|(?<=[A-Za-z])[\u200C\u200D]+(?=[A-Za-z])/gu;
const BIDI = /[\u202A-\u202E\u2066-\u2069]+/g;

/** Whether `text` holds any character a hidden-text trick uses (a plain scan: cheaper than a Unicode regex). */
function hasHiddenCandidate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x200b) continue;
    // Tag characters are U+E0000–U+E007F: their high surrogate is U+DB40.
    if (code <= 0x200d || code === 0x2060 || code === 0xfeff || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xdb40) return true;
  }
  return false;
}

export const promptInjectionDetector: Detector = {
  name: 'prompt_injection',
  types: ['instruction_override', 'prompt_leak', 'role_play', 'role_marker', 'hidden_text'],
  maxLength: 200,
  find(text) {
    const found: Detection[] = [];
    const present = signalsPresent(text);
    if (present !== 0) {
      for (const [index, signal] of SIGNALS.entries()) {
        if ((present & (1 << index)) === 0) continue;
        signal.pattern.lastIndex = 0;
        for (const match of text.matchAll(signal.pattern)) {
          const score = QUOTES.has(text.charCodeAt(match.index - 1)) ? signal.score / 2 : signal.score;
          found.push({ type: signal.type, start: match.index, end: match.index + match[0].length, score });
        }
      }
    }
    if (hasHiddenCandidate(text)) {
      for (const match of text.matchAll(TAGS)) found.push({ type: 'hidden_text', start: match.index, end: match.index + match[0].length, score: 1 });
      // A stray zero-width space is common in pasted text: three of them make one signal.
      for (const match of text.matchAll(ZERO_WIDTH)) found.push({ type: 'hidden_text', start: match.index, end: match.index + match[0].length, score: 0.34 });
      for (const match of text.matchAll(BIDI)) found.push({ type: 'hidden_text', start: match.index, end: match.index + match[0].length, score: 0.5 });
    }
    if (found.length < 2) return found;
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    return found.filter((detection, index) => index === 0 || detection.start >= (found[index - 1] as Detection).end);
  },
  // A phrase may still be growing: hold back the end of the sentence in progress, at most 80 characters.
  pending(text) {
    const sentence = Math.max(text.lastIndexOf('.'), text.lastIndexOf('!'), text.lastIndexOf('?'), text.lastIndexOf('\n')) + 1;
    return Math.max(sentence, text.length - 80);
  },
};

/** The sum of the scores of `text`'s signals (for tests and tuning). */
export function injectionScore(text: string): number {
  let score = 0;
  for (const detection of promptInjectionDetector.find(text)) score += detection.score ?? 1;
  return score;
}
