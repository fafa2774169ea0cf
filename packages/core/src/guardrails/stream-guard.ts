// Guards a streamed answer chunk by chunk: each choice's content and each tool call's arguments go through the output guardrails as they grow.
import type { ChatCompletionChunk, ChatCompletionToolCallDelta } from '../contract/chat-chunk.js';
import type { GatewayError } from '../errors/errors.js';
import type { CompiledGuardrail, CustomGuardrail } from './compiled-guardrail.js';
import { isMutator } from './compiled-guardrail.js';
import { failure, type GuardCall } from './guard-call.js';
import { validateTexts, verdictOf } from './guard-texts.js';
import type { GuardedText } from './guarded-text.js';
import { checkJson } from './json-schema-check.js';
import { CollectStage, DetectorStage, RestoreStage, StreamFindings, type StreamStage } from './stream-stages.js';
import { withinTimeBound } from './time-bound.js';

type Choice = ChatCompletionChunk['choices'][number];

export interface StreamGuardSetup {
  /** The output guardrails that apply to the call, in config order. */
  readonly guardrails: readonly CompiledGuardrail[];
  readonly call: GuardCall;
  /** What the request asked the answer to be, for `json-schema` guardrails. */
  readonly expectedJson: { schema: object | undefined } | undefined;
}

/** One streamed text and the stages it goes through. */
class Channel {
  readonly stages: StreamStage[];
  readonly collect: CollectStage | undefined;
  /** Held whole for custom mutators, which run at the end. */
  readonly hold: CollectStage | undefined;
  readonly #after: StreamStage[];
  /** Set once its choice finished (or the stream ended) and its rest was passed on. */
  flushed = false;

  constructor(before: StreamStage[], hold: CollectStage | undefined, after: StreamStage[], collect: CollectStage | undefined) {
    this.stages = before;
    this.hold = hold;
    this.#after = after;
    this.collect = collect;
  }

  push(text: string): string {
    let out = text;
    for (const stage of this.stages) {
      if (out.length === 0) return out;
      out = stage.push(out);
    }
    if (this.hold) {
      this.hold.push(out);
      return '';
    }
    for (const stage of this.#after) {
      if (out.length === 0) return out;
      out = stage.push(out);
    }
    return out;
  }

  /** The rest, once the text is complete: every stage flushed in order, custom mutators applied. */
  async end(mutate: (text: string) => Promise<string>): Promise<string> {
    let out = '';
    for (const stage of this.stages) out = (out.length > 0 ? stage.push(out) : '') + stage.end();
    if (this.hold) {
      this.hold.push(out);
      out = await mutate(this.hold.text);
      this.hold.text = '';
    }
    for (const stage of this.#after) out = (out.length > 0 ? stage.push(out) : '') + stage.end();
    return out;
  }
}

/** The guarded stream. A refusal ends it with the typed error after the chunks already passed on. */
export function guardStream(stream: AsyncIterable<ChatCompletionChunk>, setup: StreamGuardSetup): AsyncIterable<ChatCompletionChunk> {
  return new StreamGuard(setup).run(stream);
}

class StreamGuard {
  readonly #setup: StreamGuardSetup;
  readonly #findings = new StreamFindings();
  readonly #channels = new Map<string, Channel>();
  readonly #mutators: CustomGuardrail[];
  readonly #validators: CustomGuardrail[];
  readonly #needsText: boolean;
  /** A background check's refusal, thrown at the next chunk. */
  #refusal: GatewayError | undefined;
  #checking: Promise<void> | undefined;
  #checkedAt = 0;
  #length = 0;

  constructor(setup: StreamGuardSetup) {
    this.#setup = setup;
    const custom = setup.guardrails.filter((guardrail): guardrail is CustomGuardrail => guardrail.kind === 'custom');
    this.#mutators = custom.filter((guardrail) => guardrail.mutate !== undefined);
    this.#validators = custom.filter((guardrail) => guardrail.validate !== undefined);
    this.#needsText = this.#validators.length > 0 || (setup.expectedJson !== undefined && setup.guardrails.some((guardrail) => guardrail.kind === 'json-schema'));
  }

  async *run(stream: AsyncIterable<ChatCompletionChunk>): AsyncGenerator<ChatCompletionChunk> {
    try {
      yield* this.#guarded(stream);
    } finally {
      // What was redacted or flagged is reported also when the stream is blocked, fails or is left.
      this.#findings.report(this.#setup.call);
    }
  }

  async *#guarded(stream: AsyncIterable<ChatCompletionChunk>): AsyncGenerator<ChatCompletionChunk> {
    let last: ChatCompletionChunk | undefined;
    for await (const chunk of stream) {
      if (this.#refusal) throw this.#refusal;
      last = chunk;
      let choices: Choice[] | undefined;
      for (let i = 0; i < chunk.choices.length; i++) {
        const choice = chunk.choices[i] as Choice;
        const pending = this.#choice(choice);
        const guarded = pending instanceof Promise ? await pending : pending;
        if (guarded !== choice) (choices ??= [...chunk.choices])[i] = guarded;
      }
      if (this.#validators.some((validator) => validator.everyChars > 0)) this.#checkInBackground();
      yield choices ? { ...chunk, choices } : chunk;
    }
    // The stream ended without a finish for some choices (cut short, or a provider that never says): their rest now.
    const rest = await this.#flushAll();
    if (rest.length > 0 && last) yield { ...last, choices: rest, usage: undefined };
    await this.#finalChecks();
  }

  /** Synchronous but for a choice's finish, where held text is flushed (custom mutators may be asynchronous). */
  #choice(choice: Choice): Choice | Promise<Choice> {
    const delta = choice.delta;
    let content = delta.content;
    if (typeof content === 'string' && content.length > 0) content = this.#channel(choice.index, -1).push(content);
    let toolCalls = delta.tool_calls;
    if (toolCalls) {
      let copied: ChatCompletionToolCallDelta[] | undefined;
      toolCalls.forEach((call, index) => {
        const args = call.function?.arguments;
        if (!args) return;
        const guarded = this.#channel(choice.index, call.index).push(args);
        if (guarded !== args) (copied ??= [...(toolCalls as ChatCompletionToolCallDelta[])])[index] = { ...call, function: { ...call.function, arguments: guarded } };
      });
      if (copied) toolCalls = copied;
    }
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) return this.#finish(choice, content, toolCalls);
    return withDelta(choice, content, toolCalls);
  }

  async #finish(choice: Choice, content: string | null | undefined, toolCalls: ChatCompletionToolCallDelta[] | undefined): Promise<Choice> {
    const tails = await this.#flushChoice(choice.index);
    const withContent = tails.content ? (content ?? '') + tails.content : content;
    return withDelta(choice, withContent, tails.tools.length > 0 ? mergeToolTails(toolCalls, tails.tools) : toolCalls);
  }

  #channel(choice: number, tool: number): Channel {
    const key = `${choice}:${tool}`;
    let channel = this.#channels.get(key);
    if (!channel) {
      channel = this.#newChannel(tool < 0);
      this.#channels.set(key, channel);
    }
    return channel;
  }

  #newChannel(content: boolean): Channel {
    const { guardrails, call } = this.#setup;
    const detectors = guardrails.filter((guardrail) => guardrail.kind === 'detector');
    // Mutators in order first, then the validators judge what they pass on.
    const before: StreamStage[] = [...detectors.filter(isMutator), ...detectors.filter((guardrail) => !isMutator(guardrail))].map(
      (guardrail) => new DetectorStage(guardrail as Extract<CompiledGuardrail, { kind: 'detector' }>, call, this.#findings),
    );
    const hold = this.#mutators.length > 0 ? new CollectStage() : undefined;
    const collect = this.#needsText && (content || this.#validators.length > 0) ? new CollectStage() : undefined;
    const after: StreamStage[] = collect ? [collect] : [];
    if (call.placeholders.restores) after.push(new RestoreStage(call.placeholders));
    return new Channel(before, hold, after, collect);
  }

  async #flushChoice(choice: number): Promise<{ content: string; tools: Array<{ index: number; text: string }> }> {
    let content = '';
    const tools: Array<{ index: number; text: string }> = [];
    for (const [key, channel] of this.#channels) {
      const [owner, tool] = key.split(':').map(Number) as [number, number];
      if (owner !== choice || channel.flushed) continue;
      channel.flushed = true;
      const text = await channel.end((held) => this.#mutate(held));
      if (text.length === 0) continue;
      if (tool < 0) content = text;
      else tools.push({ index: tool, text });
    }
    return { content, tools };
  }

  async #flushAll(): Promise<Choice[]> {
    const owners = new Set([...this.#channels].filter(([, channel]) => !channel.flushed).map(([key]) => Number(key.split(':')[0])));
    const choices: Choice[] = [];
    for (const owner of owners) {
      const tails = await this.#flushChoice(owner);
      if (!tails.content && tails.tools.length === 0) continue;
      choices.push({ index: owner, delta: { ...(tails.content ? { content: tails.content } : {}), ...(tails.tools.length > 0 ? { tool_calls: mergeToolTails(undefined, tails.tools) } : {}) }, finish_reason: null });
    }
    return choices;
  }

  /** Custom mutators over a whole streamed text, in order, each under its time bound. */
  async #mutate(text: string): Promise<string> {
    let out = text;
    for (const guardrail of this.#mutators) {
      const mutate = guardrail.mutate as NonNullable<CustomGuardrail['mutate']>;
      const piece: GuardedText = { role: 'assistant', field: 'content', text: out };
      const result = await withinTimeBound(guardrail.timeoutMs, this.#setup.call.signal, (signal) => mutate(out, this.#setup.call.check('output', [piece], signal)));
      if (!result.ok || typeof result.value !== 'string') {
        const refusal = failure(this.#setup.call, guardrail, 'output', result.ok ? { ok: false, reason: 'error', error: new TypeError('mutate() did not return a string') } : result, false);
        if (refusal) throw refusal;
        continue;
      }
      if (result.value === out) continue;
      this.#setup.call.report(guardrail, 'output', 'redact', { changed: 1 }, guardrail.mode === 'enforce', { streaming: false });
      if (guardrail.mode === 'enforce') out = result.value;
    }
    return out;
  }

  #texts(): GuardedText[] {
    const texts: GuardedText[] = [];
    for (const [key, channel] of this.#channels) {
      if (channel.collect) texts.push({ role: 'assistant', field: key.endsWith(':-1') ? 'content' : 'arguments', text: channel.collect.text });
    }
    return texts;
  }

  /** Custom validators that check the text so far every `everyChars`: in the background, so the stream never waits on them. */
  #checkInBackground(): void {
    if (this.#checking || this.#refusal) return;
    let length = 0;
    for (const channel of this.#channels.values()) length += channel.collect?.text.length ?? 0;
    this.#length = length;
    const due = this.#validators.filter((validator) => validator.everyChars > 0 && this.#length - this.#checkedAt >= validator.everyChars);
    if (due.length === 0) return;
    this.#checkedAt = this.#length;
    const texts = this.#texts();
    this.#checking = Promise.all(due.map((validator) => validateTexts('output', validator, texts, this.#setup.call, true))).then((refusals) => {
      this.#refusal ??= refusals.find((refusal) => refusal !== undefined);
      this.#checking = undefined;
    });
  }

  /** At the end: the background check in flight, each custom validator on the whole answer, and the JSON schema. */
  async #finalChecks(): Promise<void> {
    if (this.#checking) await this.#checking;
    if (this.#refusal) throw this.#refusal;
    const { guardrails, call, expectedJson } = this.#setup;
    const texts = this.#texts();
    const refusals = await Promise.all(this.#validators.map((validator) => validateTexts('output', validator, texts, call, false)));
    const refusal = refusals.find((error) => error !== undefined);
    if (refusal) throw refusal;
    if (!expectedJson) return;
    for (const guardrail of guardrails) {
      if (guardrail.kind !== 'json-schema') continue;
      for (const [key, channel] of this.#channels) {
        if (!key.endsWith(':-1') || !channel.collect) continue;
        let failed: ReturnType<typeof checkJson>;
        try {
          failed = checkJson(channel.collect.text, expectedJson);
        } catch (error) {
          const refusal = failure(call, guardrail, 'output', { ok: false, reason: 'error', error }, false);
          if (refusal) throw refusal;
          continue;
        }
        if (!failed) continue;
        const blocked = verdictOf('output', guardrail, 'block', [failed.finding], call, false);
        if (blocked) throw blocked;
      }
    }
  }
}

/** The choice with its delta's content and tool calls as guarded; the same object when nothing changed. */
function withDelta(choice: Choice, content: string | null | undefined, toolCalls: ChatCompletionToolCallDelta[] | undefined): Choice {
  const delta = choice.delta;
  if (content === delta.content && toolCalls === delta.tool_calls) return choice;
  return { ...choice, delta: { ...delta, ...(content === delta.content ? {} : { content }), ...(toolCalls === delta.tool_calls ? {} : { tool_calls: toolCalls }) } };
}

/** A choice's tool-call deltas with the held-back argument tails added. */
function mergeToolTails(toolCalls: ChatCompletionToolCallDelta[] | undefined, tails: ReadonlyArray<{ index: number; text: string }>): ChatCompletionToolCallDelta[] {
  const merged = toolCalls ? [...toolCalls] : [];
  for (const { index, text } of tails) {
    const at = merged.findIndex((call) => call.index === index);
    if (at < 0) merged.push({ index, function: { arguments: text } });
    else {
      const call = merged[at] as ChatCompletionToolCallDelta;
      merged[at] = { ...call, function: { ...call.function, arguments: (call.function?.arguments ?? '') + text } };
    }
  }
  return merged;
}
