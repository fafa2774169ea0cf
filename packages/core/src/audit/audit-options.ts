// The options of `createAuditLog`, their zod schema, and the HMAC key they carry.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/errors.js';
import { mustBe, objectErrors } from '../errors/option-messages.js';

/** The shortest HMAC key accepted, in bytes: the output size of SHA-256. */
export const MIN_KEY_BYTES = 32;

export interface AuditRotation {
  /** Start a new file before a line would take the active one past this many bytes (a single larger line gets a file of its own). */
  maxBytes?: number | undefined;
  /** Start a new file when a record's UTC day (of its `time`) differs from the active file's last line. */
  daily?: boolean | undefined;
}

/** Something the log repaired on open, worth telling an operator; not an error. */
export interface AuditWarning {
  code: 'torn_tail_truncated';
  /** The file repaired. */
  file: string;
  /** How many bytes of an unfinished last line were cut away. */
  bytes: number;
  message: string;
}

export interface AuditLogOptions {
  /** The active file, e.g. `/var/log/switchyard/audit.jsonl`; rotated files are named beside it. */
  path: string;
  /** The HMAC-SHA256 key: a string (its UTF-8 bytes) or bytes, at least 32 bytes. Never printed. */
  key: string | Uint8Array;
  rotate?: AuditRotation | undefined;
  /**
   * When an append is acknowledged. `'always'` (default): once its line is written and
   * fdatasync'd (survives power loss). `'none'`: once write() returned (survives a crash of
   * the process, not of the machine).
   */
  sync?: 'always' | 'none' | undefined;
  /** The clock a record's `time` is read from, epoch ms (default `Date.now`); tests of daily rotation pass a fake one. */
  now?: (() => number) | undefined;
  /** Told of repairs made on open (default: `process.emitWarning`). */
  onWarning?: ((warning: AuditWarning) => void) | undefined;
}

/** The options checked and filled in; the key as a `KeyObject`, which no inspection or JSON prints. */
export interface ResolvedAuditLogOptions {
  path: string;
  key: KeyObject;
  maxBytes: number | undefined;
  daily: boolean;
  sync: 'always' | 'none';
  now: () => number;
  onWarning: (warning: AuditWarning) => void;
}

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`);
const keyBytes = (key: string | Uint8Array): number => (typeof key === 'string' ? Buffer.byteLength(key, 'utf8') : key.byteLength);

/** An HMAC key. Its messages name the key's kind and length only, never its value. */
export const auditKeySchema = z
  .custom<string | Uint8Array>((value) => typeof value === 'string' || value instanceof Uint8Array, {
    error: (issue) => `must be the HMAC key, a string or a Uint8Array/Buffer, got ${kindOf(issue.input)}`,
  })
  .refine((key) => keyBytes(key) >= MIN_KEY_BYTES, {
    error: (issue) =>
      `must be at least ${MIN_KEY_BYTES} bytes, got ${typeof issue.input === 'string' || issue.input instanceof Uint8Array ? keyBytes(issue.input) : 0}; make one with \`openssl rand -hex 32\` and keep it out of the log's directory`,
  });

const rotateShape = {
  maxBytes: z.number(mustBe('a whole number of bytes > 0')).int(mustBe('a whole number of bytes > 0')).positive(mustBe('a whole number of bytes > 0')).max(Number.MAX_SAFE_INTEGER).optional(),
  daily: z.boolean(mustBe('true or false')).optional(),
} satisfies { [K in keyof Required<AuditRotation>]: z.ZodType<AuditRotation[K]> };

const fn = <F>(what: string) => z.custom<F>((value) => typeof value === 'function', `${what} must be a function`);

const auditLogShape = {
  path: z.string(mustBe('a file path')).min(1, mustBe('a non-empty file path')).refine((path) => !/[\\/]$/.test(path), 'must name a file, not a directory'),
  key: auditKeySchema,
  rotate: z.object(rotateShape, objectErrors(rotateShape, '{ maxBytes?, daily? }')).strict().optional(),
  sync: z.enum(['always', 'none'], mustBe("'always' or 'none'")).optional(),
  now: fn<() => number>('now').optional(),
  onWarning: fn<(warning: AuditWarning) => void>('onWarning').optional(),
} satisfies { [K in keyof Required<AuditLogOptions>]: z.ZodType<AuditLogOptions[K]> };

export const auditLogOptionsSchema = z.object(auditLogShape, objectErrors(auditLogShape, '{ path, key, rotate?, sync?, now?, onWarning? }')).strict();

/** The key's bytes, copied (a caller changing its buffer later changes nothing), as a secret `KeyObject`. */
export function secretKeyOf(key: string | Uint8Array): KeyObject {
  return createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key));
}

/** `ConfigError` issues of a failed parse, each with its dotted path under `prefix`. */
export function configIssues(error: z.ZodError, prefix: string): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.'), message: issue.message }));
}

const emitWarning = (warning: AuditWarning): void => process.emitWarning(warning.message, { type: 'SwitchyardAuditWarning', code: warning.code });

/** Checks `options` and fills in the defaults; throws one `ConfigError` listing every problem (paths under `prefix`). */
export function resolveAuditLogOptions(options: unknown, prefix = ''): ResolvedAuditLogOptions {
  const parsed = auditLogOptionsSchema.safeParse(options);
  if (!parsed.success) throw new ConfigError(configIssues(parsed.error, prefix));
  const { path, key, rotate, sync, now, onWarning } = parsed.data;
  return {
    path: resolve(path),
    key: secretKeyOf(key),
    maxBytes: rotate?.maxBytes,
    daily: rotate?.daily ?? false,
    sync: sync ?? 'always',
    now: now ?? Date.now,
    onWarning: onWarning ?? emitWarning,
  };
}
