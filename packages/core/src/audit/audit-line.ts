// One line of the audit log: how a record becomes a MAC'd, chained JSON line, and how a line is checked.
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { AuditRecordError } from './audit-errors.js';

/** The `prev` of the very first line of a log: no line came before it. */
export const GENESIS_MAC = '0'.repeat(64);

/** Fields every line has, which a record may not set. */
export const RESERVED_FIELDS: readonly string[] = ['seq', 'time', 'prev', 'mac'];

/** `,"mac":"<64 hex>"}`: the end of every line (before its newline), spliced in before the body's closing brace. */
const MAC_OPENING = ',"mac":"';
const MAC_SUFFIX_LENGTH = MAC_OPENING.length + 64 + 2;
const HEX_MAC = /^[0-9a-f]{64}$/;
/** Lines are printable ASCII only (non-ASCII is written `\uXXXX`), so a line's characters are its bytes. */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;
const NON_ASCII = /[\u007f-\uffff]/g;

/** The chain position of a line: its number, and the MAC of the line before it. */
export interface ChainLink {
  seq: number;
  mac: string;
}

/** A line as written: its text with the newline, and its MAC (the next line's `prev`). */
export interface FormattedLine {
  text: string;
  mac: string;
}

/**
 * The record's JSON, checked: a plain object, none of the reserved fields, no `toJSON` of its
 * own (it could bring them back), serialisable; non-ASCII characters escaped.
 */
export function serializeRecord(record: unknown): string {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new AuditRecordError('a record must be a plain object of fields');
  const proto: unknown = Object.getPrototypeOf(record);
  if (proto !== Object.prototype && proto !== null) throw new AuditRecordError('a record must be a plain object of fields, not a class instance (copy its fields into an object literal)');
  const reserved = RESERVED_FIELDS.filter((field) => Object.hasOwn(record, field));
  if (reserved.length > 0) throw new AuditRecordError(`field${reserved.length === 1 ? '' : 's'} ${reserved.map((field) => `'${field}'`).join(', ')} ${reserved.length === 1 ? 'is' : 'are'} the log's own (${RESERVED_FIELDS.join(', ')}); rename ${reserved.length === 1 ? 'it' : 'them'}`);
  if (typeof (record as { toJSON?: unknown }).toJSON === 'function') throw new AuditRecordError('a record may not have its own toJSON method');
  let json: string;
  try {
    json = JSON.stringify(record);
  } catch (error) {
    throw new AuditRecordError(`it is not JSON-serialisable (${error instanceof Error ? error.message : 'unknown reason'}); remove BigInt values and cycles`);
  }
  return json.replace(NON_ASCII, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function macOf(key: KeyObject, body: string): string {
  return createHmac('sha256', key).update(body, 'latin1').digest('hex');
}

/**
 * The line after `previous`: the body `{"seq":N,"time":"...","prev":"...",<record fields>}`,
 * its MAC over the body's bytes, then `,"mac":"<hex>"` spliced in before the closing brace.
 */
export function formatLine(key: KeyObject, previous: ChainLink, time: string, recordJson: string): FormattedLine {
  const head = `{"seq":${previous.seq + 1},"time":${JSON.stringify(time)},"prev":"${previous.mac}"`;
  const body = recordJson === '{}' ? `${head}}` : `${head},${recordJson.slice(1)}`;
  const mac = macOf(key, body);
  return { text: `${body.slice(0, -1)}${MAC_OPENING}${mac}"}\n`, mac };
}

/** The fields every line has; the rest of a line is the record's. Lines are untrusted input. */
const lineFieldsSchema = z
  .object({
    seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    time: z.iso.datetime(),
    prev: z.string().regex(HEX_MAC),
  })
  .loose()
  .refine((fields) => !Object.hasOwn(fields, 'mac'), 'the body has a mac field of its own');

export interface CheckedLine {
  ok: true;
  seq: number;
  time: string;
  prev: string;
  mac: string;
  /** The whole line parsed, the log's fields included. */
  fields: Record<string, unknown>;
}

export interface BrokenLine {
  ok: false;
  reason: 'malformed' | 'mac';
  /** The seq the line claims, when one can be read. */
  seq: number | undefined;
}

const claimedSeq = (text: string): number | undefined => {
  const match = /^\{"seq":(\d{1,16}),/.exec(text);
  return match ? Number(match[1]) : undefined;
};

/** Checks one line (without its newline): its shape, then its MAC recomputed from its own bytes, then its fields. */
export function checkLine(key: KeyObject, text: string): CheckedLine | BrokenLine {
  const broken = (reason: BrokenLine['reason']): BrokenLine => ({ ok: false, reason, seq: claimedSeq(text) });
  if (NOT_PRINTABLE_ASCII.test(text) || text.length < MAC_SUFFIX_LENGTH + 2 || !text.endsWith('"}')) return broken('malformed');
  const suffixStart = text.length - MAC_SUFFIX_LENGTH;
  if (text.slice(suffixStart, suffixStart + MAC_OPENING.length) !== MAC_OPENING) return broken('malformed');
  const mac = text.slice(suffixStart + MAC_OPENING.length, -2);
  if (!HEX_MAC.test(mac)) return broken('malformed');
  const body = `${text.slice(0, suffixStart)}}`;
  if (!timingSafeEqual(Buffer.from(macOf(key, body), 'latin1'), Buffer.from(mac, 'latin1'))) return broken('mac');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return broken('malformed');
  }
  const fields = lineFieldsSchema.safeParse(parsed);
  if (!fields.success) return broken('malformed');
  return { ok: true, seq: fields.data.seq, time: fields.data.time, prev: fields.data.prev, mac, fields: { ...fields.data, mac } };
}
