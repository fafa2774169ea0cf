// The errors the audit log raises: a held lock, a closed or failed log, an unusable file or record.
import { brand, GatewayError } from '../errors/errors.js';

/** What went wrong, for `switch (error.reason)`; every class below has one. */
export type AuditLogErrorReason = 'locked' | 'closed' | 'write_failed' | 'corrupt' | 'invalid_record' | 'read_failed';

/**
 * The base of the audit log's errors. Their `code` is `internal_error`: none is the caller's
 * request's fault, and the gateway's codes have no audit code of their own. No message ever
 * carries the HMAC key.
 */
export class AuditLogError extends GatewayError {
  override name = 'AuditLogError';
  readonly reason: AuditLogErrorReason;
  /** The log file concerned, when there is one. */
  readonly file: string | undefined;

  constructor(reason: AuditLogErrorReason, message: string, file: string | undefined, cause?: unknown) {
    super('internal_error', message, false, cause === undefined ? {} : { cause });
    this.reason = reason;
    this.file = file;
  }
}

/** Another writer holds the log's lock file: one process (and one `AuditLog`) writes a log at a time. */
export class AuditLogLockedError extends AuditLogError {
  override name = 'AuditLogLockedError';
  /** The pid written in the lock file, when it holds one. */
  readonly holderPid: number | undefined;
  constructor(file: string, lockFile: string, holderPid: number | undefined) {
    const who = holderPid === undefined ? 'another writer' : holderPid === process.pid ? 'another AuditLog in this process' : `process ${holderPid}, which is running`;
    super(
      'locked',
      `Audit log ${file} is locked by ${who} (${lockFile}). Close that writer first; if no writer is running (the pid was reused), delete the lock file.`,
      file,
    );
    this.holderPid = holderPid;
  }
}

/** `append` after `close()`: the record was not written. */
export class AuditLogClosedError extends AuditLogError {
  override name = 'AuditLogClosedError';
  constructor(file: string) {
    super('closed', `Audit log ${file} is closed; the record was not written. Create a new audit log to append again.`, file);
  }
}

/**
 * A write, sync, rename or open failed (disk full, EBADF, EIO): the appends waiting on it are
 * rejected, and so is every later one, since the file's end is no longer known. A rejected
 * line may still be in the file; every acknowledged one is.
 */
export class AuditLogWriteError extends AuditLogError {
  override name = 'AuditLogWriteError';
  constructor(file: string, what: string, cause: unknown) {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    super(
      'write_failed',
      `Audit log ${file}: ${what} failed${detail}. The records not acknowledged were not logged; fix the cause (disk space, permissions), then create the audit log again: it repairs a torn last line and continues the chain.`,
      file,
      cause,
    );
  }
}

/** An existing log cannot be continued: its last line does not verify with this key, or a file is in the way. */
export class AuditLogCorruptError extends AuditLogError {
  override name = 'AuditLogCorruptError';
  constructor(file: string, problem: string) {
    super('corrupt', `Audit log ${file} cannot be continued: ${problem}.`, file);
  }
}

/** The record cannot be logged as given (a reserved field, not a plain object, not JSON); nothing was written. */
export class AuditRecordError extends AuditLogError {
  override name = 'AuditRecordError';
  constructor(problem: string) {
    super('invalid_record', `Audit record not logged: ${problem}.`, undefined);
  }
}

/** `verifyAuditLog` could not read a file (missing, a directory, no permission): nothing was concluded about it. */
export class AuditLogReadError extends AuditLogError {
  override name = 'AuditLogReadError';
  constructor(file: string, cause: unknown) {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    super('read_failed', `Could not read audit log file ${file}${detail}. Check the path (auditLogFiles lists a log's files) and permissions.`, file, cause);
  }
}

brand(AuditLogError, 'AuditLogError');
brand(AuditLogLockedError, 'AuditLogLockedError');
brand(AuditLogClosedError, 'AuditLogClosedError');
brand(AuditLogWriteError, 'AuditLogWriteError');
brand(AuditLogCorruptError, 'AuditLogCorruptError');
brand(AuditRecordError, 'AuditRecordError');
brand(AuditLogReadError, 'AuditLogReadError');
