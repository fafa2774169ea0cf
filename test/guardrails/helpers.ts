// Shared by the guardrail tests: a gateway on one scripted provider, and stream helpers.
import { createGateway, type ChatCompletion, type ChatCompletionChunk, type GatewayConfig, type GuardrailOptions, type GuardrailVerdictEvent } from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter, type ScriptedAdapter, type ScriptedAdapterOptions } from '@switchyard/testing';
import { collectEvents, flushEvents } from '../gateway/helpers.js';

export { flushEvents };

/** A gateway whose one provider (`p`, model `m`) answers with `reply` or streams `pieces`. */
export function guardedGateway(guardrails: GuardrailOptions[], script: ScriptedAdapterOptions, extra: Partial<GatewayConfig> = {}) {
  const adapter: ScriptedAdapter = scriptedAdapter(script);
  const collected = collectEvents();
  const gateway = createGateway({ providers: { p: adapter }, guardrails, onEvent: collected.onEvent, ...extra });
  const verdicts = () => collected.events.filter((event): event is GuardrailVerdictEvent => event.type === 'guardrail.verdict');
  /** The text of every message the provider was sent, per call. */
  const sent = () => adapter.calls.map((call) => (call.params as { messages: Array<{ content: unknown }> }).messages.map((message) => message.content));
  return { gateway, adapter, events: collected.events, verdicts, sent };
}

export const answering = (content: string): ScriptedAdapterOptions => ({ chat: () => completionOf(content) });
export const streaming = (pieces: readonly string[]): ScriptedAdapterOptions => ({
  stream: async function* () {
    yield* chunksOf(pieces);
  },
});

export const user = (content: string) => [{ role: 'user' as const, content }];

/** Every chunk of a stream; the error it ended with, if any. */
export async function read(stream: AsyncIterable<ChatCompletionChunk>): Promise<{ chunks: ChatCompletionChunk[]; text: string; error: unknown }> {
  const chunks: ChatCompletionChunk[] = [];
  let error: unknown;
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (caught) {
    error = caught;
  }
  const text = chunks.map((chunk) => chunk.choices.map((choice) => choice.delta.content ?? '').join('')).join('');
  return { chunks, text, error };
}

export const contentOf = (completion: ChatCompletion) => completion.choices[0]?.message.content;
