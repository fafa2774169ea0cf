import type { ChatCompletionChunk, ChatCompletionChunkDelta, FinishReason } from '@switchyard/core';
import { throwIfBlocked, toCompletionUsage, toFinishReason, toolCallId, type ResponseScope } from './from-gemini-response.js';
import type { WirePart, WireResponse, WireUsage } from './gemini-wire.js';

interface OpenCall {
  index: number;
  args: Record<string, unknown>;
}

interface ChoiceState {
  toolCalls: number;
  open: OpenCall | undefined;
  finished: boolean;
}

/**
 * Gemini's stream as OpenAI chunks. Each event is a whole response holding the next
 * pieces: text and thought deltas pass through; a function call, which Gemini sends
 * whole, becomes one tool-call delta with its full arguments; a call streamed with
 * `partialArgs` (Gemini 3) is assembled and its arguments sent when it closes. Usage is
 * cumulative in every event, so only the last one counts, once, at the finish: when as many
 * candidates as the request asked for (`candidates`, OpenAI `n`) have finished and usage has
 * been reported. Usage that comes only after the finish is waited for; `end` sends the usage
 * chunk of a stream that ended without any.
 */
export class GeminiStreamTranslator {
  /** Every candidate has finished and the usage chunk is out: the stream is not cut short. */
  complete = false;
  #id: string | undefined;
  #model: string;
  #usage: WireUsage | undefined;
  readonly #candidates: number;
  /** Choices that have had their `role` delta: OpenAI sends one per choice, and its SDK's stream helpers need it. */
  readonly #opened = new Set<number>();
  readonly #choices = new Map<number, ChoiceState>();
  readonly #scope: ResponseScope;
  readonly #created: number;

  constructor(scope: ResponseScope, created: number, candidates = 1) {
    this.#scope = scope;
    this.#model = scope.model;
    this.#created = created;
    this.#candidates = Math.max(1, candidates);
  }

  push(response: WireResponse): ChatCompletionChunk[] {
    throwIfBlocked(response, this.#scope);
    this.#id ??= response.responseId ?? `gemini-${this.#created}`;
    if (response.modelVersion) this.#model = response.modelVersion;
    if (response.usageMetadata) this.#usage = response.usageMetadata;
    const out: ChatCompletionChunk[] = [];
    if (this.#opened.size === 0) out.push(this.#open(0));
    (response.candidates ?? []).forEach((candidate, position) => {
      const index = candidate.index ?? position;
      if (!this.#opened.has(index)) out.push(this.#open(index));
      const state = this.#state(index);
      for (const part of candidate.content?.parts ?? []) out.push(...this.#part(index, state, part));
      if (candidate.finishReason && !state.finished) {
        state.finished = true;
        // A streamed call still open at the finish is complete: send what was assembled.
        if (state.open) {
          out.push(this.#chunk(index, { tool_calls: [{ index: state.open.index, function: { arguments: JSON.stringify(state.open.args) } }] }));
          state.open = undefined;
        }
        const reason: FinishReason = toFinishReason(candidate.finishReason, state.toolCalls > 0, this.#scope);
        out.push(this.#chunk(index, {}, reason));
      }
    });
    const finished = [...this.#choices.values()].filter((state) => state.finished).length;
    if (this.#usage && finished >= Math.max(this.#candidates, this.#choices.size)) out.push(...this.#finish());
    return out;
  }

  /**
   * At the end of the stream: the usage chunk, if every candidate seen has finished but it
   * has not gone out (no usage was reported, or fewer candidates came than were asked for).
   */
  end(): ChatCompletionChunk[] {
    const states = [...this.#choices.values()];
    return states.length > 0 && states.every((state) => state.finished) ? this.#finish() : [];
  }

  #finish(): ChatCompletionChunk[] {
    if (this.complete) return [];
    this.complete = true;
    return [{ ...this.#chunk(0, {}), choices: [], usage: toCompletionUsage(this.#usage) }];
  }

  #open(index: number): ChatCompletionChunk {
    this.#opened.add(index);
    return this.#chunk(index, { role: 'assistant', content: '' });
  }

  #state(index: number): ChoiceState {
    let state = this.#choices.get(index);
    if (!state) this.#choices.set(index, (state = { toolCalls: 0, open: undefined, finished: false }));
    return state;
  }

  #chunk(index: number, delta: ChatCompletionChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk {
    return {
      id: this.#id ?? '',
      object: 'chat.completion.chunk',
      created: this.#created,
      model: this.#model,
      choices: [{ index, delta, finish_reason: finishReason, logprobs: null }],
    };
  }

  #part(index: number, state: ChoiceState, part: WirePart): ChatCompletionChunk[] {
    const out: ChatCompletionChunk[] = [];
    let callId: string | undefined;
    const call = part.functionCall;
    if (call) {
      if (call.name) {
        const toolIndex = state.toolCalls++;
        callId = toolCallId(this.#id ?? '', index, toolIndex);
        const streamed = call.willContinue === true;
        const args = streamed ? '' : JSON.stringify(call.args ?? {});
        out.push(this.#chunk(index, { tool_calls: [{ index: toolIndex, id: callId, type: 'function', function: { name: call.name, arguments: args } }] }));
        if (streamed) state.open = { index: toolIndex, args: { ...call.args } };
      }
      if (state.open) {
        for (const piece of call.partialArgs ?? []) applyPartialArg(state.open.args, piece);
        if (!call.name && !call.willContinue) {
          out.push(this.#chunk(index, { tool_calls: [{ index: state.open.index, function: { arguments: JSON.stringify(state.open.args) } }] }));
          state.open = undefined;
        }
      }
    } else if (part.text) {
      out.push(this.#chunk(index, part.thought ? { reasoning_content: part.text } : { content: part.text }));
    }
    if (part.thoughtSignature) {
      out.push(this.#chunk(index, { reasoning_details: [{ type: 'signature', signature: part.thoughtSignature, ...(callId ? { tool_call_id: callId } : {}) }] }));
    }
    return out;
  }
}

type PartialArg = NonNullable<NonNullable<WirePart['functionCall']>['partialArgs']>[number];

/** Sets (strings: appends) one streamed argument at its JSON path, e.g. `$.trip.stops[1].city`. */
export function applyPartialArg(args: Record<string, unknown>, piece: PartialArg): void {
  const keys = [...piece.jsonPath.replace(/^\$\.?/, '').matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] === undefined ? (m[1] as string) : Number(m[2])));
  if (keys.length === 0) return;
  let target: Record<string | number, unknown> = args;
  keys.slice(0, -1).forEach((key, i) => {
    const next = keys[i + 1];
    if (typeof target[key] !== 'object' || target[key] === null) target[key] = typeof next === 'number' ? [] : {};
    target = target[key] as Record<string | number, unknown>;
  });
  const last = keys.at(-1) as string | number;
  if (piece.stringValue !== undefined) target[last] = (typeof target[last] === 'string' ? (target[last] as string) : '') + piece.stringValue;
  else if (piece.numberValue !== undefined) target[last] = piece.numberValue;
  else if (piece.boolValue !== undefined) target[last] = piece.boolValue;
  else if ('nullValue' in piece) target[last] = null;
}
