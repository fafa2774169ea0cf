// Per-call state naming what shaped a call (rules, guardrails), written by the features that applied them and read by telemetry.
import { createStateKey } from './state-key.js';

/** The governance rules (limits and budgets) that counted the call, by config name. */
export const APPLIED_RULES = createStateKey<readonly string[]>('switchyard.applied-rules');
/** The guardrails that checked the call, by config name. */
export const APPLIED_GUARDRAILS = createStateKey<readonly string[]>('switchyard.applied-guardrails');
