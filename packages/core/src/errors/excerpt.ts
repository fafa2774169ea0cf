/** How many characters of a caller's string an error or event may quote. */
export const EXCERPT_LENGTH = 100;

/**
 * A caller's text as an error or event may carry it: whole when short, else its first
 * `max` characters, an ellipsis and the full length. A 50 MB model name must not be
 * copied into every message, log line and event that mentions it.
 */
export function excerpt(text: string, max = EXCERPT_LENGTH): string {
  return text.length <= max ? text : `${head(text, max)}… (${text.length} characters)`;
}

/** `'text'`, or `'its first 100 characters…' (N characters)` for a long one. */
export function quoted(text: string, max = EXCERPT_LENGTH): string {
  return text.length <= max ? `'${text}'` : `'${head(text, max)}…' (${text.length} characters)`;
}

function head(text: string, max: number): string {
  // Never end on half a surrogate pair: the excerpt must stay well-formed text.
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
