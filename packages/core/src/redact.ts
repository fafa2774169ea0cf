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

export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    // Short strings would redact ordinary words; real keys are long.
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of KEY_PATTERNS) {
    out = out.replace(pattern, (match, p1: unknown) =>
      typeof p1 === 'string' && match.includes('=') ? `${p1}=${REDACTED}` : REDACTED,
    );
  }
  return out;
}
