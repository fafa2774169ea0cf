// Tests of the line format: the MAC over the line's own bytes, the reserved fields, ASCII-only lines.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditRecordError } from './audit-errors.js';
import { checkLine, formatLine, GENESIS_MAC, serializeRecord } from './audit-line.js';
import { secretKeyOf } from './audit-options.js';

const KEY = 'k'.repeat(32);
const key = secretKeyOf(KEY);
const TIME = '2026-12-02T18:51:00.000Z';
const lineOf = (record: Record<string, unknown>, previous = { seq: 0, mac: GENESIS_MAC }) => formatLine(key, previous, TIME, serializeRecord(record));
const withoutNewline = (text: string) => text.slice(0, -1);

describe('formatLine', () => {
  it('writes seq, time and prev first, the record, then the MAC of the line without its mac field', () => {
    const line = lineOf({ model: 'gpt', tokens: 12 });
    const body = `{"seq":1,"time":"${TIME}","prev":"${GENESIS_MAC}","model":"gpt","tokens":12}`;
    expect(line.mac).toBe(createHmac('sha256', KEY).update(body).digest('hex'));
    expect(line.text).toBe(`{"seq":1,"time":"${TIME}","prev":"${GENESIS_MAC}","model":"gpt","tokens":12,"mac":"${line.mac}"}\n`);
  });

  it('keeps seq first even for integer-like record keys, and writes an empty record', () => {
    expect(lineOf({ 7: 'x' }).text.startsWith('{"seq":1,')).toBe(true);
    const empty = lineOf({});
    expect(checkLine(key, withoutNewline(empty.text))).toMatchObject({ ok: true, seq: 1, fields: { seq: 1, time: TIME, prev: GENESIS_MAC, mac: empty.mac } });
  });

  it('chains to the previous line', () => {
    const first = lineOf({ a: 1 });
    const second = lineOf({ a: 2 }, { seq: 1, mac: first.mac });
    expect(checkLine(key, withoutNewline(second.text))).toMatchObject({ ok: true, seq: 2, prev: first.mac });
  });

  it('writes printable ASCII only, and reads non-ASCII text back unchanged', () => {
    const text = 'héllo ✓ 😀 \u007f \u2028';
    const line = lineOf({ text });
    expect(line.text.slice(0, -1)).toMatch(/^[\x20-\x7e]*$/);
    expect(checkLine(key, withoutNewline(line.text))).toMatchObject({ ok: true, fields: { text } });
  });
});

describe('serializeRecord', () => {
  it.each(['seq', 'time', 'prev', 'mac'])('rejects a record setting the reserved field %s', (field) => {
    expect(() => serializeRecord({ [field]: 1, other: true })).toThrow(AuditRecordError);
    expect(() => serializeRecord({ [field]: 1 })).toThrow(`'${field}' is the log's own`);
  });

  it('allows the reserved names nested inside a field', () => {
    expect(serializeRecord({ request: { seq: 1, mac: 'x' } })).toBe('{"request":{"seq":1,"mac":"x"}}');
  });

  it('rejects what is not a plain object of JSON', () => {
    class Event {
      seq = 1;
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [null, [], 'text', new Event(), { toJSON: () => ({ seq: 9 }) }, { n: 1n }, cyclic]) {
      expect(() => serializeRecord(bad)).toThrow(AuditRecordError);
    }
  });
});

describe('checkLine', () => {
  const good = withoutNewline(lineOf({ model: 'gpt' }).text);

  it('rejects a line written with another key as mac', () => {
    expect(checkLine(secretKeyOf('other'.repeat(8)), good)).toEqual({ ok: false, reason: 'mac', seq: 1 });
  });

  it('rejects an uppercase MAC, a missing suffix, non-ASCII, and a body with a mac of its own as malformed', () => {
    const upper = good.replace(/"mac":"([0-9a-f]+)"/, (_, hex: string) => `"mac":"${hex.toUpperCase()}"`);
    expect(checkLine(key, upper)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(checkLine(key, good.slice(0, -1))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(checkLine(key, good.replace('gpt', 'gpté'))).toMatchObject({ ok: false, reason: 'malformed' });
    // Correctly MAC'd (only the key holder could), yet ambiguous: the body names a mac itself.
    const body = `{"seq":1,"time":"${TIME}","prev":"${GENESIS_MAC}","mac":"x"}`;
    const mac = createHmac('sha256', KEY).update(body).digest('hex');
    expect(checkLine(key, `${body.slice(0, -1)},"mac":"${mac}"}`)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('rejects a MAC-valid line whose fields are wrong as malformed', () => {
    for (const body of [`{"seq":0,"time":"${TIME}","prev":"${GENESIS_MAC}"}`, `{"seq":1,"time":"yesterday","prev":"${GENESIS_MAC}"}`, `{"seq":1,"time":"${TIME}"}`]) {
      const mac = createHmac('sha256', KEY).update(body).digest('hex');
      expect(checkLine(key, `${body.slice(0, -1)},"mac":"${mac}"}`)).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });
});
