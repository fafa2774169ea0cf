// How a call's or attempt's end shows on its span: `error.type` and an error status for failures and aborts; abandoned streams are not errors.
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { GatewayError } from '../errors/errors.js';
import type { RequestOutcome } from '../events/events.js';
import { GenAi } from './gen-ai-names.js';

/** The low-cardinality `error.type`: a gateway error's code (`rate_limited`, `timeout`), another error's class name. */
export function errorType(error: unknown): string {
  if (error instanceof GatewayError) return error.code;
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Sets `error.type` and the status. The description is the gateway error's message, which never
 * holds a key or prompt text; another error (a middleware's) is described by its class only.
 */
export function endStatus(span: Span, outcome: RequestOutcome, error: unknown): string | undefined {
  if (outcome !== 'error' && outcome !== 'aborted') return undefined;
  const type = error === undefined ? outcome : errorType(error);
  span.setAttribute(GenAi.errorType, type);
  const message = error instanceof GatewayError ? error.message : `${type} thrown inside the gateway`;
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  return type;
}
