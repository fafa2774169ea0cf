// One guardrail of the config, compiled once: where it runs, how it decides, and what it does with a finding.
import type { GuardrailPhase } from '../errors/guardrail-errors.js';
import type { DetectionScan } from './detection-scan.js';
import type { TextRole } from './guarded-text.js';
import type { CustomMutatorGuardrail, CustomValidatorGuardrail, GuardrailOptions } from './guardrail-options.js';
import type { RedactionStyle } from './redaction.js';
import { detectionScanFor } from './built-in-detectors.js';

const DEFAULT_TIMEOUT_MS = 5000;

interface GuardrailCommon {
  readonly name: string;
  readonly mode: 'enforce' | 'audit';
  readonly failClosed: boolean;
  readonly timeoutMs: number;
  readonly input: boolean;
  readonly output: boolean;
  /** On input, the roles it reads; `undefined`: every role. */
  readonly roles: ReadonlySet<TextRole> | undefined;
}

/** A built-in that finds things in text: PII, secrets, prompt injection, regex and topic lists. */
export interface DetectorGuardrail extends GuardrailCommon {
  readonly kind: 'detector';
  readonly action: 'block' | 'flag' | 'redact';
  readonly redaction: RedactionStyle;
  readonly scan: DetectionScan;
  /** Scored detectors (prompt injection): findings count only once their scores reach this. */
  readonly threshold: number | undefined;
}

export interface CustomGuardrail extends GuardrailCommon {
  readonly kind: 'custom';
  readonly validate: CustomValidatorGuardrail['validate'] | undefined;
  readonly mutate: CustomMutatorGuardrail['mutate'] | undefined;
  readonly everyChars: number;
}

export interface JsonSchemaGuardrail extends GuardrailCommon {
  readonly kind: 'json-schema';
  readonly repair: boolean;
}

export type CompiledGuardrail = DetectorGuardrail | CustomGuardrail | JsonSchemaGuardrail;

/** Whether it changes text (runs in order) rather than judging it (runs in parallel with the others). */
export function isMutator(guardrail: CompiledGuardrail): boolean {
  return guardrail.kind === 'detector' ? guardrail.action === 'redact' : guardrail.kind === 'custom' && guardrail.mutate !== undefined;
}

export function runsOn(guardrail: CompiledGuardrail, phase: GuardrailPhase): boolean {
  return phase === 'input' ? guardrail.input : guardrail.output;
}

/** A validated guardrail's options, compiled; `undefined` for one whose mode is `off`. */
export function compileGuardrail(options: GuardrailOptions): CompiledGuardrail | undefined {
  if (options.mode === 'off') return undefined;
  const defaultOn = options.type === 'prompt-injection' || options.type === 'topics' ? 'input' : options.type === 'json-schema' ? 'output' : 'both';
  const on = options.on ?? defaultOn;
  const defaultRoles: TextRole[] | undefined = options.type === 'prompt-injection' ? ['user', 'tool', 'input'] : undefined;
  const roles = options.roles ?? defaultRoles;
  const common: GuardrailCommon = {
    name: options.name,
    mode: options.mode ?? 'enforce',
    failClosed: (options.onError ?? 'fail-closed') === 'fail-closed',
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    input: on !== 'output',
    output: on !== 'input',
    roles: roles ? new Set(roles) : undefined,
  };
  switch (options.type) {
    case 'json-schema':
      return { ...common, kind: 'json-schema', repair: options.repair ?? false };
    case 'custom':
      return { ...common, kind: 'custom', validate: options.validate, mutate: options.mutate, everyChars: options.type === 'custom' && options.validate ? (options.everyChars ?? 0) : 0 };
    default: {
      const { scan, threshold } = detectionScanFor(options);
      const action = options.action ?? (options.type === 'pii' ? 'redact' : 'block');
      const redaction = (options.type === 'pii' || options.type === 'secrets' || options.type === 'regex' ? options.redaction : undefined) ?? 'placeholder';
      return { ...common, kind: 'detector', action, redaction, scan, threshold };
    }
  }
}
