// guardrails/: checks on what is sent and what comes back (docs/guardrails.md): built-in detectors, custom checks, streams chunk by chunk.
export { Guardrails, type GuardrailsDeps } from './guardrails.js';
export {
  guardrailsOptionsSchema,
  PII_ENTITIES,
  type CustomMutatorGuardrail,
  type CustomValidatorGuardrail,
  type GuardrailCheck,
  type GuardrailOptions,
  type GuardrailVerdict,
  type JsonSchemaGuardrail,
  type NamedPattern,
  type PatternSource,
  type PiiEntity,
  type PiiGuardrail,
  type PromptInjectionGuardrail,
  type RegexGuardrail,
  type SecretsGuardrail,
  type TopicsGuardrail,
} from './guardrail-options.js';
export type { GuardedText, TextRole } from './guarded-text.js';
export type { RedactionStyle } from './redaction.js';
export type { Detection, Detector } from './detect/detector.js';
export { SECRET_KINDS } from './built-in-detectors.js';
