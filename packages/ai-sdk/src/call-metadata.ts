// The gateway's meta of a call as `providerMetadata.switchyard`: JSON values only, as the spec requires.
import type { JSONObject, JSONValue } from '@ai-sdk/provider';
import type { AttemptInfo, CallMeta, Usage } from '@switchyard/core';
import { isGatewayError } from '@switchyard/core';

/** What `providerMetadata.switchyard` holds (docs/ai-sdk.md lists every field). */
export function callMetadata(meta: CallMeta): JSONObject {
  return {
    requestId: meta.requestId,
    route: meta.route,
    provider: meta.provider ?? null,
    model: meta.model ?? null,
    region: meta.region ?? null,
    attempts: meta.attempts,
    served: meta.served ?? null,
    cacheHit: meta.served === 'middleware',
    costUsd: meta.cost?.usd ?? null,
    costEstimated: meta.cost?.estimated ?? false,
    providerRequestId: meta.response?.providerRequestId ?? null,
    latencyMs: meta.latencyMs ?? null,
    timeToFirstChunkMs: meta.timeToFirstChunkMs ?? null,
    outcome: meta.outcome ?? null,
    totalUsage: usageJson(meta.totalUsage),
    warnings: meta.warnings.map((warning) => ({ code: warning.code, param: warning.param ?? null, message: warning.message })),
    attemptHistory: meta.attemptHistory.map(attemptJson),
  };
}

function usageJson(usage: Usage | undefined): JSONValue {
  if (!usage) return null;
  return { ...usage };
}

function attemptJson(attempt: AttemptInfo): JSONObject {
  return {
    attempt: attempt.attempt,
    provider: attempt.provider,
    model: attempt.model,
    outcome: attempt.outcome,
    latencyMs: attempt.latencyMs,
    durationMs: attempt.durationMs,
    costUsd: attempt.cost?.usd ?? null,
    error: errorJson(attempt.error),
  };
}

/** A failed attempt's error as the gateway describes it in events: name, code, message, status; never a prompt. */
function errorJson(error: unknown): JSONValue {
  if (error === undefined || error === null) return null;
  if (isGatewayError(error)) return { ...error.toJSON() };
  return { name: error instanceof Error ? error.name : typeof error };
}
