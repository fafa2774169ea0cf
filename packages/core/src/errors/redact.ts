/**
 * Removes credentials from text that may reach users, logs or events. Provider error
 * messages sometimes echo a (partially masked) key, so known keys and the common key
 * shapes are both replaced.
 */
const KEY_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_*-]{6,}/g, // OpenAI and Anthropic (sk-ant-...) keys, masked or not
  /\bAIza[0-9A-Za-z_*-]{10,}/g, // Google API keys, masked or not
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, // authorization header values
  /\b(api[-_]?key|x-api-key|x-goog-api-key|key)=([^&\s"']{6,})/gi, // keys in query strings
];

export const REDACTED = '[redacted]';

/** The shortest known secret matched: shorter strings would redact ordinary words; real keys are long. */
const MIN_SECRET_LENGTH = 8;

export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of KEY_PATTERNS) {
    out = out.replace(pattern, (match, p1: unknown) =>
      typeof p1 === 'string' && match.includes('=') ? `${p1}=${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/**
 * Where `redactSecrets` finds a credential in `text`: every occurrence of a known secret and
 * every key-shaped run, as `[start, end)` spans over `text` as given (a query-string key keeps
 * its `name=`). Spans may overlap. Lets a caller choose what to show by position first and
 * redact after, so that removing one credential never moves another one's cut-off part into view.
 */
export function secretSpans(text: string, knownSecrets: readonly string[] = []): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const secret of knownSecrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) spans.push([at, at + secret.length]);
  }
  for (const pattern of KEY_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const name = match[1];
      const keep = typeof name === 'string' && match[0].startsWith(`${name}=`) ? name.length + 1 : 0;
      spans.push([match.index + keep, match.index + match[0].length]);
    }
  }
  return spans;
}

/** The length of the longest secret `redactSecrets` would match as known (0 when there is none). */
export function longestSecret(knownSecrets: readonly string[]): number {
  let longest = 0;
  for (const secret of knownSecrets) if (secret.length >= MIN_SECRET_LENGTH && secret.length > longest) longest = secret.length;
  return longest;
}
