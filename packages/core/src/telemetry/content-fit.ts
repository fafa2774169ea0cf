// Serialises recorded content within a size cap: the longest texts are cut first, each cut marked, so the JSON stays valid and says what was left out.
import type { GenAiMessage, GenAiPart } from './gen-ai-messages.js';

/** Room a cut's marker `…[cut 123456 chars]` takes, at most. */
const MARKER_ROOM = 24;

/**
 * `messages` as one JSON string of at most `maxChars` characters. Texts (content, tool
 * arguments and responses given as text) are cut, longest first; when nothing is left to cut,
 * whole messages are left out (`keep: 'last'`: the oldest first, the newest are what a trace
 * needs; `'first'`: from the end), and the first element then says how many.
 */
export function fitContent(messages: readonly GenAiMessage[], maxChars: number, keep: 'first' | 'last'): string {
  const full = JSON.stringify(messages);
  if (full.length <= maxChars) return full;
  // Tool arguments recorded as objects become their JSON text when large, so that they can be cut like any text.
  const copy = messages.map((message) => ({ ...message, parts: message.parts.map((part) => (part.type === 'tool_call' && typeof part.arguments !== 'string' && JSON.stringify(part.arguments ?? null).length > maxChars / 4 ? { ...part, arguments: JSON.stringify(part.arguments) } : { ...part })) }));
  const texts = copy.flatMap((message) => message.parts.flatMap((part) => textFields(part)));
  let length = full.length;
  // Cut the longest text by what is over (plus the marker), until it fits or no text is worth cutting.
  for (;;) {
    const excess = length - maxChars;
    if (excess <= 0) return JSON.stringify(copy);
    let longest: TextField | undefined;
    for (const field of texts) if (!longest || field.value().length > longest.value().length) longest = field;
    const text = longest?.value() ?? '';
    if (!longest || text.length <= MARKER_ROOM) break;
    const kept = Math.max(0, text.length - excess - MARKER_ROOM);
    const before = JSON.stringify(text).length;
    const cut = `${text.slice(0, kept)}…[cut ${text.length - kept} chars]`;
    longest.set(cut);
    length += JSON.stringify(cut).length - before;
  }
  // Still too long (many short parts): leave whole messages out.
  const kept = [...copy];
  let dropped = 0;
  while (kept.length > 0 && JSON.stringify(withDropNote(kept, dropped + 1, keep)).length > maxChars) {
    if (keep === 'last') kept.shift();
    else kept.pop();
    dropped++;
  }
  return JSON.stringify(withDropNote(kept, dropped, keep));
}

interface TextField {
  value(): string;
  set(text: string): void;
}

function textFields(part: GenAiPart): TextField[] {
  switch (part.type) {
    case 'text':
    case 'blob':
      return [{ value: () => part.content, set: (text) => (part.content = text) }];
    case 'tool_call':
      return typeof part.arguments === 'string' ? [{ value: () => (typeof part.arguments === 'string' ? part.arguments : ''), set: (text) => (part.arguments = text) }] : [];
    case 'tool_call_response':
      return typeof part.response === 'string' ? [{ value: () => (typeof part.response === 'string' ? part.response : ''), set: (text) => (part.response = text) }] : [];
    case 'uri':
      return [{ value: () => part.uri, set: (text) => (part.uri = text) }];
  }
}

function withDropNote(messages: GenAiMessage[], dropped: number, keep: 'first' | 'last'): GenAiMessage[] {
  if (dropped === 0) return messages;
  const note: GenAiMessage = { role: 'system', parts: [{ type: 'text', content: `[${dropped} messages left out: over the size cap]` }] };
  return keep === 'last' ? [note, ...messages] : [...messages, note];
}
