export * from './contract/index.js';
export type { Capabilities, CallContext, ChatRequest, EmbeddingsRequest, ProviderAdapter } from './adapter/adapter.js';
export { isProviderAdapter } from './adapter/adapter.js';
export type { CallOptions, Principal, RequestMetadata, MetadataValue } from './contract/call-options.js';
export type { CallMeta, CallPromise, WithMeta } from './pipeline/call-promise.js';
export { ChatCompletionStream } from './pipeline/chat-completion-stream.js';
export type { Clock, GatewayConfig } from './gateway/config.js';
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
export type {
  AttemptEndEvent,
  AttemptRetryEvent,
  DeploymentHealthEvent,
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
export type { AttemptContext, Middleware, Next, Operation, RequestContext, Result } from './pipeline/middleware.js';
export {
  CircuitBreaker,
  DeploymentHealth,
  LatencyTracker,
  TokenBucket,
  type BreakerPermit,
  type CircuitBreakerOptions,
  type CircuitBreakerState,
  type CircuitBreakerTransition,
  type TokenBucketOptions,
} from './health/index.js';
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
export { redactSecrets, REDACTED } from './errors/redact.js';
export { mapChunks } from './pipeline/map-chunks.js';
export { readServerSentEvents, ServerSentEventDecoder, type ServerSentEvent } from './adapter/server-sent-events.js';
export type { ServerSentEventDecoderOptions } from './adapter/server-sent-events.js';
export {
  completionUsageFromUsage,
  usageFromCompletionUsage,
  usageFromEmbeddings,
  type Usage,
} from './adapter/usage.js';

export { isRetryableStatus, parseRetryAfter } from './adapter/retry-after.js';
export { MAX_RETRY_AFTER_MS } from './adapter/retry-after.js';
export { readEventStream, type EventStreamOptions, type EventTranslator } from './adapter/event-stream.js';
export { readWithinTurn } from './adapter/ends-promptly.js';
export { readBodyText } from './adapter/read-body-text.js';
export type { ReadBodyOptions } from './adapter/read-body-text.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_EVENT_BYTES,
  ResponseTooLargeError,
  resolveResponseLimits,
  type ResponseLimitName,
  type ResponseLimits,
  type ResponseSource,
} from './adapter/body-limits.js';
export {
  CONTEXT_LENGTH_CODE,
  PROVIDER_MESSAGE_LIMIT,
  describeProviderError,
  providerName,
  errorKind,
  isContextLengthCode,
  malformedResponse,
  providerText,
  saysContextLength,
  unserialisableParams,
  sdkErrorToGatewayError,
  signalError,
  stringOf,
  truncatedStream,
  type ErrorScope,
  type ProviderErrorText,
  type SdkErrorReading,
  type StainlessErrorShape,
} from './adapter/adapter-errors.js';
export { isNetworkFailure, isUnserialisableParams, networkErrorCode } from './adapter/network-failure.js';
export { describeClient, invalidClientError } from './adapter/invalid-client.js';
export { KeyPool, SdkClientPool, type KeyedClient, type KeyPoolOptions, type PooledKey } from './adapter/key-pool.js';
export { excerpt, quoted, EXCERPT_LENGTH } from './errors/excerpt.js';
export { MAX_TIMER_MS } from './contract/call-options.js';
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
