/**
 * `@switchyard/core`: what an application uses. Adapter authors' helpers are in
 * `@switchyard/core/adapter` (src/adapter/index.ts); routing and health internals are in neither.
 * The list is pinned by test/public-exports.test.ts: adding a name is a conscious change.
 */
// The contract (zod schemas and their types), without the gateway's own field validation (contract/validate-fields.ts).
export * from './contract/shared-schemas.js';
export * from './contract/extensions.js';
export * from './contract/chat-messages.js';
export * from './contract/chat-params.js';
export * from './contract/chat-completion.js';
export * from './contract/chat-chunk.js';
export * from './contract/embeddings.js';
// An application names these in `providers: Record<string, ProviderAdapter>`; the rest of what an
// adapter author uses (CallContext, ChatRequest, error mapping, SSE...) is in `@switchyard/core/adapter`.
export type { AdapterEndpoint, Capabilities, ProviderAdapter } from './adapter/adapter.js';
export type { CallCacheOptions, CallOptions, Principal, RequestMetadata, MetadataValue } from './contract/call-options.js';
export type { CallPromise, WithMeta } from './pipeline/call-promise.js';
export type { AttemptInfo, AttemptOutcome, CallEnd, CallMeta, EndHook, ServedBy } from './pipeline/call-meta.js';
export type { CallCost, CostBreakdown } from './cost/call-cost.js';
export { createStateKey, type CallState, type StateKey } from './pipeline/state-key.js';
export type { CallWarning, ProviderResponse } from './adapter/provider-response.js';
export { ChatCompletionStream } from './pipeline/chat-completion-stream.js';
export type { CacheOptions, Clock, GatewayConfig } from './gateway/config.js';
export type { CacheStoreOperation, ExactCacheKeyFields, ExactCacheOptions } from './cache/exact-cache-options.js';
export type { SemanticCacheOptions, SemanticCacheWhen } from './cache/semantic-cache-options.js';
export type { GatewayCache, InvalidatedCount } from './cache/gateway-cache.js';
export {
  AbortError,
  ConfigError,
  ContentFilterError,
  GatewayError,
  InvalidRequestError,
  ProviderError,
  StreamInterruptedError,
  type StreamInterruptedErrorOptions,
  TimeoutError,
  UnavailableError,
  UnknownModelError,
  UnsupportedFeatureError,
  isGatewayError,
  type ConfigIssue,
  type GatewayErrorCode,
  type GatewayErrorOptions,
  type ProviderErrorOptions,
  type SerializedError,
} from './errors/errors.js';
export { AccessDeniedError, BudgetExceededError, RateLimitedError, ResidencyError, ScopeRevokedError, type GovernanceRefusal } from './errors/governance-errors.js';
export type { AccessDeniedEvent, BudgetExceededEvent, BudgetThresholdEvent, GovernanceEvent, LimitExceededEvent, ResidencyDeniedEvent } from './events/governance-events.js';
export type {
  AccessOptions,
  AccessRule,
  BudgetPeriod,
  BudgetRule,
  BudgetState,
  GovernanceOptions,
  LimitRule,
  LimitWindows,
  PartitionBy,
  ResidencyRule,
  ScopeBudget,
  ScopeLimits,
  ScopeOptions,
  TokenLimitWindows,
} from './governance/index.js';
export { GuardrailBlockedError, GuardrailFailedError, type GuardrailPhase } from './errors/guardrail-errors.js';
export type { GuardrailVerdictEvent } from './events/guardrail-events.js';
export {
  PII_ENTITIES,
  SECRET_KINDS,
  type CustomMutatorGuardrail,
  type CustomValidatorGuardrail,
  type Detection,
  type Detector,
  type GuardedText,
  type GuardrailCheck,
  type GuardrailOptions,
  type GuardrailVerdict,
  type JsonSchemaGuardrail,
  type NamedPattern,
  type PatternSource,
  type PiiEntity,
  type PiiGuardrail,
  type PromptInjectionGuardrail,
  type RedactionStyle,
  type RegexGuardrail,
  type SecretsGuardrail,
  type TextRole,
  type TopicsGuardrail,
} from './guardrails/index.js';
export {
  auditLogFiles,
  AuditLogClosedError,
  AuditLogCorruptError,
  AuditLogError,
  AuditLogLockedError,
  AuditLogReadError,
  AuditLogWriteError,
  AuditRecordError,
  createAuditLog,
  verifyAuditLog,
  type AuditAck,
  type AuditBreak,
  type AuditBrokenLine,
  type AuditHead,
  type AuditLog,
  type AuditLogErrorReason,
  type AuditLogOptions,
  type AuditRotation,
  type AuditVerification,
  type AuditWarning,
  type VerifyAuditLogOptions,
} from './audit/index.js';
export type { AuditDecision, AuditOptions } from './audit/audit-trail.js';
export { ScopedClient } from './gateway/scoped-client.js';
export type { GatewayBudgets, GatewayCloseReport } from './gateway/gateway.js';
export type { WrapOptions } from './drop-in/wrap-options.js';
export type { EventSink, SinkStats } from './sinks/event-sink.js';
export { EVENT_SCHEMA_VERSION, toEventRecord, type EventRecord } from './sinks/event-record.js';
export { createBatchingSink, type BatchingSinkOptions, type BatchRetryOptions } from './sinks/batching-sink.js';
export { createJsonlSink, type JsonlSinkOptions } from './sinks/jsonl-sink.js';
export { createConsoleSink, type ConsoleSinkOptions } from './sinks/console-sink.js';
export type { TelemetryContentOptions, TelemetryOptions } from './telemetry/telemetry-options.js';
export type { Pattern, RuleSubject } from './rules/index.js';
export { METADATA_LIMITS } from './contract/call-options.js';
export type {
  AttemptEndEvent,
  AttemptRetryEvent,
  CacheEvent,
  DeploymentHealthEvent,
  EndHookFailure,
  SinkFailure,
  RequestFallbackEvent,
  EventErrorHandler,
  EventListener,
  EventOfType,
  GatewayEvent,
  GatewayEventType,
  RequestEndEvent,
  RequestOutcome,
  AbandonReason,
  RequestStartEvent,
} from './events/events.js';
export { Gateway, createGateway, type ChatCompletions, type Embeddings } from './gateway/gateway.js';
export type { AttemptContext, AttemptContextBase, Middleware, Next, Operation, RequestContext, RequestContextBase, Result } from './pipeline/middleware.js';
export type { CircuitBreakerOptions, CircuitBreakerState, CircuitBreakerTransition, TokenBucketOptions } from './health/index.js';
export type { RuleMatch } from './rules/index.js';
export {
  defaultFallbackOn,
  isContextLengthError,
  type FallbackSpec,
  type LoadBalanceSpec,
  type LoadBalanceStrategy,
  type PrioritySpec,
  type RulesSpec,
  type RouteNode,
  type RouteSpec,
  type Target,
  type TargetSpec,
} from './routing/index.js';
export type { RetryOptions } from './contract/call-options.js';
export type { RoutingOptions } from './gateway/config.js';
export type { ModelPrice } from './routing/router.js';
export type { InputModality, ModelFacts, ModelModalities, ModelPrices, OutputModality, PriceTier, TokenPrices } from './catalog/index.js';
export { redactSecrets, REDACTED } from './errors/redact.js';
export { mapChunks, type ChunkMapper } from './pipeline/map-chunks.js';
export type { Usage } from './adapter/usage.js';
// Callers catch it (a response over a limit); the limits themselves are in `@switchyard/core/adapter`.
export { ResponseTooLargeError, type ResponseLimitName, type ResponseSource } from './adapter/body-limits.js';
export {
  StoreArgumentError,
  createMemoryStore,
  storeKey,
  windowKey,
  type BucketCheck,
  type CheckResult,
  type CounterState,
  type DecideOptions,
  type Decision,
  type IncrementOptions,
  type MemoryStoreOptions,
  type SetOptions,
  type Store,
  type StoreCheck,
  type StoreValue,
  type WindowCheck,
  type WindowSlot,
} from './store/index.js';
