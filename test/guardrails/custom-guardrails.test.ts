import { createGateway, GuardrailBlockedError, GuardrailFailedError } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { collectEvents } from '../gateway/helpers.js';
import { gate } from '../cache/helpers.js';
import { answering, contentOf, flushEvents, guardedGateway, read, streaming, user } from './helpers.js';

describe('custom guardrails', () => {
  it('a validator that blocks the input refuses the call before anything is sent, naming itself and its findings', async () => {
    const { gateway, adapter, verdicts } = guardedGateway([{ name: 'no-tickets', type: 'custom', on: 'input', validate: ({ texts }) => ({ action: texts.some((t) => t.text.includes('TICKET')) ? 'block' : 'pass', findings: ['ticket'] }) }], answering('ok'));
    const refused = await gateway.chat.completions.create({ model: 'p/m', messages: user('about TICKET-1') }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GuardrailBlockedError);
    expect(refused).toMatchObject({ code: 'guardrail_blocked', guardrail: 'no-tickets', phase: 'input', findings: ['ticket'], retryable: false });
    expect((refused as Error).message).not.toContain('TICKET-1');
    expect(adapter.calls).toHaveLength(0);
    await flushEvents();
    expect(verdicts()).toMatchObject([{ guardrail: 'no-tickets', phase: 'input', verdict: 'block', mode: 'enforce', enforced: true, findings: { ticket: 1 } }]);
  });

  it('in audit mode a block is reported and the call goes on', async () => {
    const { gateway, adapter, verdicts } = guardedGateway([{ name: 'watch', type: 'custom', mode: 'audit', validate: () => ({ action: 'block', findings: ['x'] }) }], answering('ok'));
    const answer = await gateway.chat.completions.create({ model: 'p/m', messages: user('hi') });
    expect(contentOf(answer)).toBe('ok');
    expect(adapter.calls).toHaveLength(1);
    await flushEvents();
    expect(verdicts().map((v) => [v.phase, v.verdict, v.mode, v.enforced])).toEqual([
      ['input', 'block', 'audit', false],
      ['output', 'block', 'audit', false],
    ]);
  });

  it("mode 'off' does not run at all", async () => {
    let ran = 0;
    const { gateway } = guardedGateway([{ name: 'off', type: 'custom', mode: 'off', validate: () => (ran++, { action: 'block' }) }], answering('ok'));
    await gateway.chat.completions.create({ model: 'p/m', messages: user('hi') });
    expect(ran).toBe(0);
  });

  it('applies only to the calls its `when` matches', async () => {
    const { gateway, adapter } = guardedGateway([{ name: 'interns', type: 'custom', on: 'input', when: { teams: 'interns' }, validate: () => ({ action: 'block' }) }], answering('ok'));
    await gateway.chat.completions.create({ model: 'p/m', messages: user('hi') }, { principal: { id: 'a', teams: ['staff'] } });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages: user('hi') }, { principal: { id: 'b', teams: ['interns'] } })).rejects.toBeInstanceOf(GuardrailBlockedError);
    expect(adapter.calls).toHaveLength(1);
  });

  it('validators run in parallel: each waits for the other to have started', async () => {
    const first = gate();
    const second = gate();
    const { gateway } = guardedGateway(
      [
        { name: 'a', type: 'custom', on: 'input', validate: async () => (first.open(), await second.promise, { action: 'pass' }) },
        { name: 'b', type: 'custom', on: 'input', validate: async () => (second.open(), await first.promise, { action: 'pass' }) },
      ],
      answering('ok'),
    );
    expect(contentOf(await gateway.chat.completions.create({ model: 'p/m', messages: user('hi') }))).toBe('ok');
  });

  it('mutators run in order, each on what the one before made, and the provider gets the result; the caller’s params are untouched', async () => {
    const { gateway, sent } = guardedGateway(
      [
        { name: 'upper', type: 'custom', on: 'input', mutate: (text) => text.toUpperCase() },
        { name: 'suffix', type: 'custom', on: 'input', mutate: async (text) => `${text}!` },
      ],
      answering('ok'),
    );
    const messages = user('hello');
    await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(sent()).toEqual([['HELLO!']]);
    expect(messages[0]?.content).toBe('hello');
  });

  it('validators see the text the mutators made', async () => {
    const seen: string[] = [];
    const { gateway } = guardedGateway(
      [
        { name: 'check', type: 'custom', on: 'input', validate: ({ texts }) => (seen.push(...texts.map((t) => t.text)), { action: 'pass' }) },
        { name: 'shout', type: 'custom', on: 'input', mutate: (text) => text.toUpperCase() },
      ],
      answering('ok'),
    );
    await gateway.chat.completions.create({ model: 'p/m', messages: user('quiet') });
    expect(seen).toEqual(['QUIET']);
  });

  it('reads only the roles it is given on input', async () => {
    const seen: string[] = [];
    const { gateway } = guardedGateway([{ name: 'users', type: 'custom', on: 'input', roles: ['user'], validate: ({ texts }) => (seen.push(...texts.map((t) => `${t.role}:${t.text}`)), { action: 'pass' }) }], answering('ok'));
    await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'question' }] });
    expect(seen).toEqual(['user:question']);
  });

  it('a validator that throws fails closed by default: a GuardrailFailedError, nothing sent', async () => {
    const { gateway, adapter, verdicts } = guardedGateway([{ name: 'broken', type: 'custom', on: 'input', validate: () => { throw new Error('bug in the guardrail'); } }], answering('ok'));
    const refused = await gateway.chat.completions.create({ model: 'p/m', messages: user('hi') }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GuardrailFailedError);
    expect(refused).toMatchObject({ code: 'guardrail_failed', guardrail: 'broken', reason: 'error' });
    expect(adapter.calls).toHaveLength(0);
    await flushEvents();
    expect(verdicts()).toMatchObject([{ verdict: 'error', reason: 'error', enforced: true }]);
  });

  it('a validator past its time bound fails closed with reason timeout, and its signal aborts', async () => {
    let aborted = false;
    const { gateway } = guardedGateway(
      [{ name: 'slow', type: 'custom', on: 'input', timeoutMs: 20, validate: ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted'))))) }],
      answering('ok'),
    );
    await expect(gateway.chat.completions.create({ model: 'p/m', messages: user('hi') })).rejects.toMatchObject({ code: 'guardrail_failed', reason: 'timeout', retryable: true });
    expect(aborted).toBe(true);
  });

  it("onError 'fail-open' lets the call through and reports the failure", async () => {
    const { gateway, verdicts } = guardedGateway([{ name: 'flaky', type: 'custom', on: 'input', onError: 'fail-open', validate: () => Promise.reject(new Error('down')) }], answering('ok'));
    expect(contentOf(await gateway.chat.completions.create({ model: 'p/m', messages: user('hi') }))).toBe('ok');
    await flushEvents();
    expect(verdicts()).toMatchObject([{ guardrail: 'flaky', verdict: 'error', reason: 'error', enforced: false }]);
  });

  it('a verdict of the wrong shape counts as the guardrail failing', async () => {
    const { gateway } = guardedGateway([{ name: 'sloppy', type: 'custom', on: 'input', validate: () => ({ action: 'nope' }) as never }], answering('ok'));
    await expect(gateway.chat.completions.create({ model: 'p/m', messages: user('hi') })).rejects.toMatchObject({ code: 'guardrail_failed', reason: 'error' });
  });

  it('an output validator blocks a complete answer', async () => {
    const { gateway } = guardedGateway([{ name: 'no-secrets-out', type: 'custom', on: 'output', validate: ({ texts }) => ({ action: texts.some((t) => t.text.includes('classified')) ? 'block' : 'pass', findings: ['classified'] }) }], answering('this is classified'));
    await expect(gateway.chat.completions.create({ model: 'p/m', messages: user('hi') })).rejects.toMatchObject({ code: 'guardrail_blocked', phase: 'output', findings: ['classified'] });
  });

  it('an output mutator changes a complete answer', async () => {
    const { gateway } = guardedGateway([{ name: 'polite', type: 'custom', on: 'output', mutate: (text) => text.replace('darn', '****') }], answering('darn it'));
    expect(contentOf(await gateway.chat.completions.create({ model: 'p/m', messages: user('hi') }))).toBe('**** it');
  });

  it('on a stream, a validator judges the whole answer at its end: a block ends the stream with the error after the chunks', async () => {
    const { gateway } = guardedGateway([{ name: 'end-judge', type: 'custom', on: 'output', validate: ({ texts }) => ({ action: texts[0]?.text === 'bad answer' ? 'block' : 'pass', findings: ['bad'] }) }], streaming(['bad ', 'answer']));
    const { text, error } = await read(await gateway.chat.completions.create({ model: 'p/m', messages: user('hi'), stream: true }));
    expect(text).toBe('bad answer');
    expect(error).toBeInstanceOf(GuardrailBlockedError);
    expect(error).toMatchObject({ phase: 'output', guardrail: 'end-judge' });
  });

  it('on a stream, `everyChars` checks the text so far in the background and ends the stream at the next chunk once it blocks', async () => {
    const judged = gate();
    const pieces = ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee'];
    const { gateway } = guardedGateway(
      [{ name: 'periodic', type: 'custom', on: 'output', everyChars: 8, validate: async ({ texts }) => (texts[0]?.text.includes('bbbb') ? (judged.open(), { action: 'block' }) : { action: 'pass' }) }],
      {
        stream: async function* () {
          const { chunksOf } = await import('@switchyard/testing');
          const chunks = chunksOf(pieces);
          for (const [index, chunk] of chunks.entries()) {
            // Hold the third piece back until the judge has decided on the first two.
            if (index === 2) await judged.promise;
            yield chunk;
          }
        },
      },
    );
    const { text, error } = await read(await gateway.chat.completions.create({ model: 'p/m', messages: user('hi'), stream: true }));
    expect(error).toMatchObject({ code: 'guardrail_blocked', guardrail: 'periodic' });
    expect(text).toBe('aaaabbbb');
  });

  it('on a stream, a custom mutator holds the answer back to its end and rewrites it whole', async () => {
    const { gateway } = guardedGateway([{ name: 'rewrite', type: 'custom', on: 'output', mutate: async (text) => text.replace('cat', 'dog') }], streaming(['the c', 'at sat']));
    const { chunks, text, error } = await read(await gateway.chat.completions.create({ model: 'p/m', messages: user('hi'), stream: true }));
    expect(error).toBeUndefined();
    expect(text).toBe('the dog sat');
    // Held: the first two content chunks pass on empty, the finish chunk carries the answer.
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? null)).toEqual(['', '', 'the dog sat']);
  });

  it('an LLM judge calls a model through the gateway: its own route and tags, not guarded itself', async () => {
    const judge = scriptedAdapter({ chat: (request) => completionOf(JSON.stringify(request.params.messages).includes('an unsafe question') ? 'UNSAFE' : 'SAFE') });
    const main = scriptedAdapter({ chat: () => completionOf('fine') });
    const collected = collectEvents();
    let judged = 0;
    const gateway = createGateway({
      providers: { p: main, judge },
      onEvent: collected.onEvent,
      guardrails: [
        {
          name: 'judge',
          type: 'custom',
          on: 'input',
          validate: async (check) => {
            judged++;
            const verdict = await check.complete({ model: 'judge/small', messages: [{ role: 'user', content: `Judge this: ${check.texts.map((t) => t.text).join('\n')}` }] }, { tags: ['judge'] });
            return { action: verdict.choices[0]?.message.content === 'UNSAFE' ? 'block' : 'pass', findings: ['unsafe'] };
          },
        },
      ],
    });
    expect(contentOf(await gateway.chat.completions.create({ model: 'p/m', messages: user('a nice question') }))).toBe('fine');
    await expect(gateway.chat.completions.create({ model: 'p/m', messages: user('an unsafe question') })).rejects.toMatchObject({ code: 'guardrail_blocked', guardrail: 'judge' });
    // Two judge calls, each judged by no one (the validator ran once per caller's call), the second caller's call never sent.
    expect(judge.calls).toHaveLength(2);
    expect(judged).toBe(2);
    expect(main.calls).toHaveLength(1);
    await flushEvents();
    const judgeStarts = collected.events.filter((event) => event.type === 'request.start' && event.route === 'judge/small');
    expect(judgeStarts).toMatchObject([{ tags: ['judge'] }, { tags: ['judge'] }]);
  });

  it("a judge's call is aborted at the guardrail's time bound", async () => {
    let judgeSignal: AbortSignal | undefined;
    const judge = scriptedAdapter({
      chat: (_request, call) =>
        new Promise((_, reject) => {
          judgeSignal = call.signal;
          call.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    });
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf('fine') }), judge },
      guardrails: [{ name: 'judge', type: 'custom', on: 'input', timeoutMs: 30, validate: async (check) => (await check.complete({ model: 'judge/small', messages: user('judge this') }), { action: 'pass' }) }],
    });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages: user('q') })).rejects.toMatchObject({ code: 'guardrail_failed', reason: 'timeout' });
    expect(judgeSignal?.aborted).toBe(true);
  });
});
