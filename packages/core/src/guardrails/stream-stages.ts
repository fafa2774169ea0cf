// The stages one streamed text (a choice's content, or one tool call's arguments) goes through: each takes text as it arrives and passes on what is final.
import type { GatewayError } from '../errors/errors.js';
import type { CompiledGuardrail, DetectorGuardrail } from './compiled-guardrail.js';
import { countFindings, type GuardCall } from './guard-call.js';
import { verdictOf } from './guard-texts.js';
import type { Detection } from './detect/detector.js';
import { outputStyle, redact, type Placeholders } from './redaction.js';

/** One stage: `push` takes new text and returns what may be passed on now; `end` returns the rest. A refusal is thrown. */
export interface StreamStage {
  push(text: string): string;
  end(): string;
}

/**
 * What a stream's guardrails found so far, reported once at its end (a block is reported at
 * once): one event per guardrail, not one per chunk.
 */
export class StreamFindings {
  readonly #found = new Map<CompiledGuardrail, Record<string, number>>();

  add(guardrail: CompiledGuardrail, types: Iterable<string>): void {
    const counts = this.#found.get(guardrail);
    if (counts) countFindings(types, counts);
    else this.#found.set(guardrail, countFindings(types));
  }

  report(call: GuardCall): void {
    for (const [guardrail, findings] of this.#found) {
      const redacts = guardrail.kind === 'detector' && guardrail.action === 'redact';
      call.report(guardrail, 'output', redacts ? 'redact' : 'flag', findings, redacts && guardrail.mode === 'enforce', { streaming: false });
    }
    this.#found.clear();
  }
}

/**
 * A detector guardrail on a stream: it holds back only what might still grow into a detection
 * (`DetectionScan.pending`), so a redaction never lets part of a match through and a block
 * comes before the text it blocks is passed on. Scores (prompt injection) add up over the text.
 */
export class DetectorStage implements StreamStage {
  #held = '';
  #score = 0;
  readonly #found: string[] = [];
  readonly #guardrail: DetectorGuardrail;
  readonly #call: GuardCall;
  readonly #findings: StreamFindings;

  constructor(guardrail: DetectorGuardrail, call: GuardCall, findings: StreamFindings) {
    this.#guardrail = guardrail;
    this.#call = call;
    this.#findings = findings;
  }

  push(text: string): string {
    const all = this.#held.length === 0 ? text : this.#held + text;
    let final = this.#guardrail.scan.pending(all);
    if (final === 0) {
      this.#held = all;
      return '';
    }
    // What is final is decided on the whole text so far: a detection reaching past the cut moves it back to its start.
    const detections = this.#guardrail.scan.find(all);
    for (const detection of detections) if (detection.start < final && detection.end > final) final = detection.start;
    this.#held = final === all.length ? '' : all.slice(final);
    if (final === 0) return '';
    const settled = detections.length === 0 ? detections : detections.filter((detection) => detection.end <= final);
    return this.#settle(final === all.length ? all : all.slice(0, final), settled, true);
  }

  end(): string {
    const rest = this.#held;
    this.#held = '';
    return rest.length === 0 ? rest : this.#settle(rest, this.#guardrail.scan.find(rest), false);
  }

  /** Final text: redacted, judged, or passed on as it is. */
  #settle(text: string, detections: readonly Detection[], streaming: boolean): string {
    const guardrail = this.#guardrail;
    if (detections.length === 0) return text;
    if (guardrail.action === 'redact') {
      this.#findings.add(guardrail, detections.map((detection) => detection.type));
      return guardrail.mode === 'enforce' ? redact(text, detections, outputStyle(guardrail.redaction), this.#call.placeholders) : text;
    }
    let types = detections.map((detection) => detection.type);
    if (guardrail.threshold !== undefined) {
      // A score adds up over the whole answer: what was found before counts with what is new.
      this.#found.push(...types);
      for (const detection of detections) this.#score += detection.score ?? 1;
      if (this.#score < guardrail.threshold) return text;
      types = this.#found.splice(0);
      this.#score = 0;
    }
    if (guardrail.action === 'block') {
      const refusal: GatewayError | undefined = verdictOf('output', guardrail, 'block', types, this.#call, streaming);
      if (refusal) throw refusal;
      return text;
    }
    this.#findings.add(guardrail, types);
    return text;
  }
}

/** Restores a reversible redaction's placeholders, holding back what may be the start of one. */
export class RestoreStage implements StreamStage {
  #held = '';
  readonly #placeholders: Placeholders;

  constructor(placeholders: Placeholders) {
    this.#placeholders = placeholders;
  }

  push(text: string): string {
    const all = this.#held + text;
    const final = this.#placeholders.pending(all);
    this.#held = all.slice(final);
    return this.#placeholders.restore(final === all.length ? all : all.slice(0, final));
  }

  end(): string {
    const rest = this.#held;
    this.#held = '';
    return this.#placeholders.restore(rest);
  }
}

/** Keeps the text that passed the stages before it, for validators that judge the whole answer (custom, JSON schema). */
export class CollectStage implements StreamStage {
  text = '';

  push(text: string): string {
    this.text += text;
    return text;
  }

  end(): string {
    return '';
  }
}
