// Tests of createAuditLog's options: every problem listed with its path, the key never printed.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { resolveAuditLogOptions } from './audit-options.js';

const problems = (options: unknown): ConfigError => {
  try {
    resolveAuditLogOptions(options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('resolveAuditLogOptions', () => {
  it('lists every problem with its path', () => {
    const error = problems({ path: '', key: 5, rotate: { maxBytes: 0, daily: 'yes', size: 1 }, sync: 'sometimes', now: 3, extra: true });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['', 'key', 'now', 'path', 'rotate', 'rotate.daily', 'rotate.maxBytes', 'sync'].sort());
    expect(error.message).toContain("unknown key 'extra'");
  });

  it('rejects a key shorter than 32 bytes, string or bytes, without printing it', () => {
    const secret = 'short-secret-value-31-bytes-xyz';
    expect(Buffer.byteLength(secret)).toBe(31);
    const error = problems({ path: 'a.jsonl', key: secret });
    expect(error.issues).toEqual([{ path: 'key', message: expect.stringContaining('at least 32 bytes, got 31') }]);
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
    const bytes = Buffer.from('ab'.repeat(15));
    expect(problems({ path: 'a.jsonl', key: bytes }).message).not.toContain(bytes.toString());
  });

  it('counts a string key in UTF-8 bytes', () => {
    // 11 characters of 3 bytes each: 33 bytes.
    expect(() => resolveAuditLogOptions({ path: 'a.jsonl', key: '✓'.repeat(11) })).not.toThrow();
    expect(problems({ path: 'a.jsonl', key: '✓'.repeat(10) }).message).toContain('got 30');
  });

  it('fills in the defaults, resolves the path, and copies the key so later changes to the buffer do not matter', () => {
    const bytes = Buffer.alloc(32, 1);
    const resolved = resolveAuditLogOptions({ path: 'logs/audit.jsonl', key: bytes });
    bytes.fill(2);
    expect(resolved).toMatchObject({ path: `${process.cwd()}/logs/audit.jsonl`, maxBytes: undefined, daily: false, sync: 'always', now: Date.now });
    expect(resolved.key.export()).toEqual(Buffer.alloc(32, 1));
  });

  it('does not show the key when the resolved options are printed', async () => {
    const { inspect } = await import('node:util');
    const key = 'super-secret-key-material-0123456789';
    expect(inspect(resolveAuditLogOptions({ path: 'a.jsonl', key }), { depth: 5 })).not.toContain(key);
  });
});
