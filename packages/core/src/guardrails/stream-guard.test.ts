import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../contract/chat-chunk.js';
import { GuardrailBlockedError } from '../errors/guardrail-errors.js';
import type { DetectorGuardrail } from './compiled-guardrail.js';
import type { Detector } from './detect/detector.js';
import { DetectionScan } from './detection-scan.js';
import type { GuardCall } from './guard-call.js';
import { Placeholders } from './redaction.js';
import { guardStream } from './stream-guard.js';

/** Finds `secret` (or, scored, each `bad`); holds back a trailing run of letters. */
const word = (needle: string, type: string, score?: number): Detector => ({
  name: `test.${type}`,
  types: [type],
  maxLength: needle.length,
  find: (text) => [...text.matchAll(new RegExp(needle, 'g'))].map((match) => ({ type, start: match.index, end: match.index + needle.length, ...(score === undefined ? {} : { score }) })),
  pending: (text) => text.length - (/[a-z]*$/.exec(text)?.[0].length ?? 0),
});

const guardrail = (action: DetectorGuardrail['action'], detector = word('secret', 'secret'), extra: Partial<DetectorGuardrail> = {}): DetectorGuardrail => ({
  kind: 'detector',
  name: `g-${action}`,
  mode: 'enforce',
  failClosed: true,
  timeoutMs: 1000,
  input: false,
  output: true,
  roles: undefined,
  action,
  redaction: 'placeholder',
  scan: new DetectionScan([detector]),
  threshold: undefined,
  ...extra,
});

function fakeCall() {
  const reports: Array<{ guardrail: string; verdict: string; findings: Record<string, number>; streaming: boolean | undefined }> = [];
  const call: GuardCall = {
    placeholders: new Placeholders(),
    unredacted: false,
    signal: undefined,
    report: (g, _phase, verdict, findings, _enforced, extra) => void reports.push({ guardrail: g.name, verdict, findings, streaming: extra?.streaming }),
    check: () => {
      throw new Error('not used');
    },
  };
  return { call, reports };
}

const base = { id: 'c', object: 'chat.completion.chunk' as const, created: 1, model: 'm' };
const content = (text: string, finish: 'stop' | null = null): ChatCompletionChunk => ({ ...base, choices: [{ index: 0, delta: { content: text }, finish_reason: finish }] });

async function run(chunks: ChatCompletionChunk[], guardrails: DetectorGuardrail[], call = fakeCall().call) {
  const out: ChatCompletionChunk[] = [];
  let error: unknown;
  async function* source() {
    yield* chunks;
  }
  try {
    for await (const chunk of guardStream(source(), { guardrails, call, expectedJson: undefined })) out.push(chunk);
  } catch (caught) {
    error = caught;
  }
  return { out, error, contents: out.map((chunk) => chunk.choices.map((choice) => choice.delta.content ?? '').join('')) };
}

describe('guardStream', () => {
  it('holds back only a word that might still become a match, and passes on the rest at once', async () => {
    const { contents } = await run([content('a sec'), content('ret b'), content(' done', 'stop')], [guardrail('redact')]);
    expect(contents).toEqual(['a ', '[SECRET_1] ', 'b done']);
  });

  it('a block ends the stream before the matched text is passed on', async () => {
    const { contents, error } = await run([content('one two '), content('sec'), content('ret three')], [guardrail('block')]);
    expect(contents).toEqual(['one two ', '']);
    expect(error).toBeInstanceOf(GuardrailBlockedError);
  });

  it('flushes what is held when the stream ends without a finish, in a chunk of its own', async () => {
    const { out, contents } = await run([content('tail wor')], [guardrail('redact')]);
    expect(contents).toEqual(['tail ', 'wor']);
    expect(out[1]).toMatchObject({ id: 'c', choices: [{ index: 0, delta: { content: 'wor' }, finish_reason: null }] });
  });

  it('keeps choices apart', async () => {
    const two = (a: string, b: string, finish: 'stop' | null = null): ChatCompletionChunk => ({
      ...base,
      choices: [
        { index: 0, delta: { content: a }, finish_reason: finish },
        { index: 1, delta: { content: b }, finish_reason: finish },
      ],
    });
    const { out } = await run([two('x sec', 'y sec'), two('ret', 'ond', 'stop')], [guardrail('redact')]);
    const texts = [0, 1].map((index) => out.map((chunk) => chunk.choices[index]?.delta.content ?? '').join(''));
    expect(texts).toEqual(['x [SECRET_1]', 'y second']);
  });

  it('adds up scores over the whole answer for a scored detector, and reports flags once at the end', async () => {
    const scored = guardrail('flag', word('bad', 'bad', 1), { threshold: 2 });
    const { call, reports } = fakeCall();
    await run([content('bad '), content('good '), content('bad ', 'stop')], [scored], call);
    expect(reports).toEqual([{ guardrail: 'g-flag', verdict: 'flag', findings: { bad: 2 }, streaming: false }]);
  });

  it('in audit mode a block is reported and the text passes', async () => {
    const { call, reports } = fakeCall();
    const { contents, error } = await run([content('a secret here', 'stop')], [guardrail('block', undefined, { mode: 'audit' })], call);
    expect(error).toBeUndefined();
    expect(contents.join('')).toBe('a secret here');
    expect(reports).toMatchObject([{ verdict: 'block', streaming: true }]);
  });
});
