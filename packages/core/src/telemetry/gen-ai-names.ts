// The names telemetry uses: OpenTelemetry GenAI semantic-convention attributes and metrics (facts of the convention), and the gateway's own under `switchyard.`.

/** Attribute names of the GenAI semantic conventions (and the general ones they use). */
export const GenAi = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestFrequencyPenalty: 'gen_ai.request.frequency_penalty',
  requestPresencePenalty: 'gen_ai.request.presence_penalty',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  requestSeed: 'gen_ai.request.seed',
  requestChoiceCount: 'gen_ai.request.choice.count',
  requestStream: 'gen_ai.request.stream',
  requestEncodingFormats: 'gen_ai.request.encoding_formats',
  outputType: 'gen_ai.output.type',
  responseId: 'gen_ai.response.id',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  usageCacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  usageReasoningOutputTokens: 'gen_ai.usage.reasoning.output_tokens',
  responseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  embeddingsDimensionCount: 'gen_ai.embeddings.dimension.count',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  tokenType: 'gen_ai.token.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  openaiRequestServiceTier: 'openai.request.service_tier',
  openaiResponseServiceTier: 'openai.response.service_tier',
  openaiResponseSystemFingerprint: 'openai.response.system_fingerprint',
} as const;

/** The span event that carries content when `captureContent.as` is `events`. */
export const INFERENCE_DETAILS_EVENT = 'gen_ai.client.inference.operation.details';

/** The gateway's own span attributes. */
export const Switchyard = {
  route: 'switchyard.route',
  strategy: 'switchyard.route.strategy',
  requestId: 'switchyard.request.id',
  outcome: 'switchyard.outcome',
  abandoned: 'switchyard.abandoned',
  served: 'switchyard.served',
  attempts: 'switchyard.attempts',
  attempt: 'switchyard.attempt',
  attemptReason: 'switchyard.attempt.reason',
  attemptPreviousError: 'switchyard.attempt.previous_error',
  provider: 'switchyard.provider',
  model: 'switchyard.model',
  region: 'switchyard.region',
  cacheHit: 'switchyard.cache.hit',
  cacheName: 'switchyard.cache.name',
  cacheSavedUsd: 'switchyard.cache.saved_usd',
  costUsd: 'switchyard.cost.usd',
  costEstimated: 'switchyard.cost.estimated',
  rules: 'switchyard.rules',
  guardrails: 'switchyard.guardrails',
  principalId: 'switchyard.principal.id',
  principalTeams: 'switchyard.principal.teams',
  tags: 'switchyard.tags',
  timeToFirstChunk: 'switchyard.time_to_first_chunk',
  providerRequestId: 'switchyard.provider_request_id',
} as const;

/** Metric names: the convention's GenAI client metrics, then the gateway's own counters. */
export const Metrics = {
  tokenUsage: 'gen_ai.client.token.usage',
  operationDuration: 'gen_ai.client.operation.duration',
  timeToFirstChunk: 'gen_ai.client.operation.time_to_first_chunk',
  timePerOutputChunk: 'gen_ai.client.operation.time_per_output_chunk',
  retries: 'switchyard.retries',
  fallbacks: 'switchyard.fallbacks',
  breakerTransitions: 'switchyard.breaker.transitions',
  cacheLookups: 'switchyard.cache.lookups',
  cacheSaved: 'switchyard.cache.saved',
  governanceRejections: 'switchyard.governance.rejections',
  guardrailVerdicts: 'switchyard.guardrail.verdicts',
  cost: 'switchyard.cost',
} as const;

/** Bucket boundaries the convention gives for `gen_ai.client.token.usage`. */
export const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
/** Bucket boundaries (seconds) the convention gives for `gen_ai.client.operation.duration` (and the streaming timings). */
export const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
