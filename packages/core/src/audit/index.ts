// The tamper-evident audit log's public API: the writer, the verifier, the file lister, their types and errors.
export { createAuditLog, type AuditAck, type AuditHead, type AuditLog } from './audit-log.js';
export { auditLogOptionsSchema, MIN_KEY_BYTES, type AuditLogOptions, type AuditRotation, type AuditWarning } from './audit-options.js';
export { verifyAuditLog, type AuditBreak, type AuditBrokenLine, type AuditVerification, type VerifyAuditLogOptions } from './verify-audit-log.js';
export { auditLogFiles } from './audit-files.js';
export { GENESIS_MAC, RESERVED_FIELDS } from './audit-line.js';
export {
  AuditLogClosedError,
  AuditLogCorruptError,
  AuditLogError,
  AuditLogLockedError,
  AuditLogReadError,
  AuditLogWriteError,
  AuditRecordError,
  type AuditLogErrorReason,
} from './audit-errors.js';
