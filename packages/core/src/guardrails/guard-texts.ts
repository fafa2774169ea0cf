// Runs the guardrails of one phase over complete texts (a request, or an answer that is not streamed): mutators in order, then validators in parallel.
import type { GatewayError } from '../errors/errors.js';
import { GuardrailBlockedError, type GuardrailPhase } from '../errors/guardrail-errors.js';
import type { Detection } from './detect/detector.js';
import { isMutator, type CompiledGuardrail, type CustomGuardrail, type DetectorGuardrail } from './compiled-guardrail.js';
import { countFindings, failure, type GuardCall } from './guard-call.js';
import type { GuardedText } from './guarded-text.js';
import type { GuardrailVerdict } from './guardrail-options.js';
import { outputStyle, redact } from './redaction.js';
import { withinTimeBound } from './time-bound.js';

/** Whether a guardrail reads piece `text` in this phase (on input, by its message's role). */
export function reads(guardrail: CompiledGuardrail, phase: GuardrailPhase, text: GuardedText): boolean {
  return phase === 'output' || guardrail.roles === undefined || guardrail.roles.has(text.role);
}

/** The detections of a scored detector count only once they add up to its threshold. */
export function decisive(guardrail: DetectorGuardrail, detections: Detection[]): Detection[] {
  if (guardrail.threshold === undefined || detections.length === 0) return detections;
  let score = 0;
  for (const detection of detections) score += detection.score ?? 1;
  return score >= guardrail.threshold ? detections : [];
}

/**
 * Guards `texts`; returns the pieces that changed (by index). Throws the first refusal in config
 * order: a block by an enforced validator, or a failure of one that fails closed.
 */
export async function guardTexts(phase: GuardrailPhase, guardrails: readonly CompiledGuardrail[], texts: readonly GuardedText[], call: GuardCall): Promise<Map<number, string>> {
  const current = texts.map((text) => text.text);
  const changed = new Map<number, string>();
  for (const guardrail of guardrails) {
    if (!isMutator(guardrail)) continue;
    if (guardrail.kind === 'detector') redactTexts(phase, guardrail, texts, current, changed, call);
    else if (guardrail.kind === 'custom') await mutateTexts(phase, guardrail, texts, current, changed, call);
  }
  const seen = changed.size === 0 ? texts : texts.map((text, index) => (changed.has(index) ? { ...text, text: current[index] as string } : text));
  const refusals: Array<GatewayError | undefined> = [];
  const waits: Array<Promise<void>> = [];
  guardrails.forEach((guardrail, position) => {
    if (isMutator(guardrail)) return;
    if (guardrail.kind === 'detector') refusals[position] = judgeTexts(phase, guardrail, seen, call);
    else if (guardrail.kind === 'custom') waits.push(validateTexts(phase, guardrail, seen, call).then((refusal) => void (refusals[position] = refusal)));
  });
  if (waits.length > 0) await Promise.all(waits);
  const refusal = refusals.find((error) => error !== undefined);
  if (refusal) throw refusal;
  return changed;
}

function redactTexts(phase: GuardrailPhase, guardrail: DetectorGuardrail, texts: readonly GuardedText[], current: string[], changed: Map<number, string>, call: GuardCall): void {
  let findings: Record<string, number> | undefined;
  const enforced = guardrail.mode === 'enforce';
  texts.forEach((text, index) => {
    if (!reads(guardrail, phase, text)) return;
    const detections = guardrail.scan.find(current[index] as string);
    if (detections.length === 0) return;
    findings = countFindings(detections.map((detection) => detection.type), findings);
    if (!enforced) return;
    const redacted = redact(current[index] as string, detections, phase === 'output' ? outputStyle(guardrail.redaction) : guardrail.redaction, call.placeholders);
    current[index] = redacted;
    changed.set(index, redacted);
  });
  if (findings) call.report(guardrail, phase, 'redact', findings, enforced);
}

async function mutateTexts(phase: GuardrailPhase, guardrail: CustomGuardrail, texts: readonly GuardedText[], current: string[], changed: Map<number, string>, call: GuardCall): Promise<void> {
  const mutate = guardrail.mutate;
  if (!mutate) return;
  let mutated = 0;
  for (const [index, text] of texts.entries()) {
    if (!reads(guardrail, phase, text)) continue;
    const before = current[index] as string;
    const piece = { ...text, text: before };
    const result = await withinTimeBound(guardrail.timeoutMs, call.signal, (signal) => mutate(before, call.check(phase, [piece], signal)));
    const outcome = result.ok && typeof result.value !== 'string' ? { ok: false as const, reason: 'error' as const, error: new TypeError(`mutate() returned ${typeof result.value}, not a string`) } : result;
    if (!outcome.ok) {
      const refusal = failure(call, guardrail, phase, outcome);
      if (refusal) throw refusal;
      continue;
    }
    if (outcome.value === before) continue;
    mutated++;
    if (guardrail.mode !== 'enforce') continue;
    current[index] = outcome.value;
    changed.set(index, outcome.value);
  }
  if (mutated > 0) call.report(guardrail, phase, 'redact', { changed: mutated }, guardrail.mode === 'enforce');
}

/** A detector validator over every piece it reads; the refusal, if it blocks. */
function judgeTexts(phase: GuardrailPhase, guardrail: DetectorGuardrail, texts: readonly GuardedText[], call: GuardCall): GatewayError | undefined {
  const found: string[] = [];
  for (const text of texts) {
    if (!reads(guardrail, phase, text)) continue;
    for (const detection of decisive(guardrail, guardrail.scan.find(text.text))) found.push(detection.type);
  }
  if (found.length === 0) return undefined;
  return verdictOf(phase, guardrail, guardrail.action === 'block' ? 'block' : 'flag', found, call);
}

/** Reports a flag or block; the refusal when an enforced guardrail blocks. */
export function verdictOf(phase: GuardrailPhase, guardrail: CompiledGuardrail, action: 'flag' | 'block', findings: readonly string[], call: GuardCall, streaming?: boolean): GatewayError | undefined {
  const refuses = action === 'block' && guardrail.mode === 'enforce';
  call.report(guardrail, phase, action, countFindings(findings), refuses, streaming === undefined ? undefined : { streaming });
  return refuses ? new GuardrailBlockedError(guardrail.name, phase, findings) : undefined;
}

/** A custom validator under its time bound; the refusal, if it blocks or fails closed. */
export async function validateTexts(phase: GuardrailPhase, guardrail: CustomGuardrail, texts: readonly GuardedText[], call: GuardCall, streaming?: boolean): Promise<GatewayError | undefined> {
  const validate = guardrail.validate;
  if (!validate) return undefined;
  const read = texts.filter((text) => reads(guardrail, phase, text));
  const result = await withinTimeBound(guardrail.timeoutMs, call.signal, (signal) => validate(call.check(phase, read, signal)));
  const verdict = result.ok ? verdictShape(result.value) : undefined;
  if (!result.ok || !verdict) return failure(call, guardrail, phase, result.ok ? { ok: false, reason: 'error', error: new TypeError("validate() must return { action: 'pass' | 'flag' | 'block', findings?: string[] }") } : result, streaming);
  if (verdict.action === 'pass') return undefined;
  return verdictOf(phase, guardrail, verdict.action, verdict.findings ?? [], call, streaming);
}

/** The verdict if it has the documented shape; user code may return anything. */
function verdictShape(value: unknown): GuardrailVerdict | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { action, findings } = value as { action?: unknown; findings?: unknown };
  if (action !== 'pass' && action !== 'flag' && action !== 'block') return undefined;
  if (findings !== undefined && !(Array.isArray(findings) && findings.every((finding) => typeof finding === 'string'))) return undefined;
  return { action, findings: findings as string[] | undefined };
}
