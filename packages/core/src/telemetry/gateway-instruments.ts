// The metric instruments of one meter: the GenAI client histograms with the convention's buckets, and the gateway's own counters.
import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { DURATION_BUCKETS, Metrics, TOKEN_BUCKETS } from './gen-ai-names.js';

export class GatewayInstruments {
  /** Tokens per attempt, by `gen_ai.token.type` (`input`, `output`): what each model call consumed. */
  readonly tokenUsage: Histogram;
  /** Seconds per request, as the caller saw it (retries and fallbacks included). */
  readonly operationDuration: Histogram;
  /** Streams: seconds from the call to its first chunk. */
  readonly timeToFirstChunk: Histogram;
  /** Streams: seconds between one provider chunk and the next. */
  readonly timePerOutputChunk: Histogram;
  readonly retries: Counter;
  readonly fallbacks: Counter;
  readonly breakerTransitions: Counter;
  readonly cacheLookups: Counter;
  readonly cacheSaved: Counter;
  readonly governanceRejections: Counter;
  readonly guardrailVerdicts: Counter;
  readonly cost: Counter;

  constructor(meter: Meter) {
    const seconds = (name: string, description: string) => meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: DURATION_BUCKETS } });
    this.tokenUsage = meter.createHistogram(Metrics.tokenUsage, {
      unit: '{token}',
      description: 'Number of input and output tokens used, per model call.',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.operationDuration = seconds(Metrics.operationDuration, 'GenAI operation duration, per gateway call.');
    this.timeToFirstChunk = seconds(Metrics.timeToFirstChunk, 'Time from the call to the first chunk of its stream.');
    this.timePerOutputChunk = seconds(Metrics.timePerOutputChunk, 'Time between consecutive chunks of a provider stream.');
    this.retries = meter.createCounter(Metrics.retries, { unit: '{retry}', description: 'Attempts retried on the same target.' });
    this.fallbacks = meter.createCounter(Metrics.fallbacks, { unit: '{fallback}', description: 'Calls moved on to the next target of their route.' });
    this.breakerTransitions = meter.createCounter(Metrics.breakerTransitions, { unit: '{transition}', description: 'Circuit breaker state changes, by deployment and new state.' });
    this.cacheLookups = meter.createCounter(Metrics.cacheLookups, { unit: '{lookup}', description: 'Response cache lookups, by cache and hit.' });
    this.cacheSaved = meter.createCounter(Metrics.cacheSaved, { unit: '{USD}', description: 'What cache hits would have cost, in USD.' });
    this.governanceRejections = meter.createCounter(Metrics.governanceRejections, { unit: '{call}', description: 'Calls (or targets) refused by access rules, rate limits, budgets or residency.' });
    this.guardrailVerdicts = meter.createCounter(Metrics.guardrailVerdicts, { unit: '{verdict}', description: 'Guardrail verdicts other than a pass, by guardrail, phase and verdict.' });
    this.cost = meter.createCounter(Metrics.cost, { unit: '{USD}', description: 'What model calls cost, in USD, per priced attempt.' });
  }
}
