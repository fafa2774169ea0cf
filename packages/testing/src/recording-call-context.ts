import type { CallContext, CallWarning, ProviderResponse, Usage } from '@switchyard/core/adapter';

/** A `CallContext` for calling an adapter directly in a test, keeping what the adapter reported. */
export interface RecordingCallContext extends CallContext {
  /** Every `response()` report, in order (a pooled key's retry adds one). */
  readonly responses: ProviderResponse[];
  readonly warnings: CallWarning[];
  /** Every partial usage a stream reported, in order. */
  readonly usages: Usage[];
}

export function recordingCallContext(options: { requestId?: string; signal?: AbortSignal } = {}): RecordingCallContext {
  const responses: ProviderResponse[] = [];
  const warnings: CallWarning[] = [];
  const usages: Usage[] = [];
  return {
    requestId: options.requestId ?? 'req-test',
    signal: options.signal,
    responses,
    warnings,
    usages,
    response: (response) => void responses.push(response),
    warn: (warning) => void warnings.push(warning),
    usage: (usage) => void usages.push(usage),
  };
}
