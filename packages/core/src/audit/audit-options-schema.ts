// The schema of the gateway config's `audit` option (the log itself is checked by createAuditLog).
import { z } from 'zod';
import { mustBe, objectErrors } from '../errors/option-messages.js';
import type { AuditLog } from './audit-log.js';
import type { AuditOptions } from './audit-trail.js';

export type { AuditOptions } from './audit-trail.js';

const isAuditLog = (value: unknown): value is AuditLog =>
  typeof value === 'object' && value !== null && typeof (value as Partial<AuditLog>).append === 'function' && typeof (value as Partial<AuditLog>).close === 'function';

const auditShape = {
  log: z.custom<AuditLog>(isAuditLog, 'must be an audit log, e.g. createAuditLog({ path, key })'),
  content: z.boolean(mustBe('true or false')).optional(),
  maxContentChars: z.number(mustBe('a whole number of characters > 0')).int(mustBe('a whole number of characters > 0')).positive(mustBe('a whole number of characters > 0')).optional(),
} satisfies { [K in keyof Required<AuditOptions>]: z.ZodType<AuditOptions[K]> };

export const auditOptionsSchema = z.object(auditShape, objectErrors(auditShape, '{ log, content?, maxContentChars? }')).strict();
