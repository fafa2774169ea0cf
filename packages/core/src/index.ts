export * from './contract/index.js';
export type { Capabilities, CallContext, ChatRequest, EmbeddingsRequest, ProviderAdapter } from './adapter.js';
export { isProviderAdapter } from './adapter.js';
export type { CallOptions, Principal, RequestMetadata, MetadataValue } from './call-options.js';
export type { CallMeta, CallPromise, WithMeta } from './call-promise.js';
export { ChatCompletionStream } from './chat-completion-stream.js';
export type { Clock, GatewayConfig } from './config.js';
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
} from './errors.js';
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
} from './events.js';
export { Gateway, createGateway, type ChatCompletions, type Embeddings } from './gateway.js';
export type { AttemptContext, Middleware, Next, Operation, RequestContext, Result } from './middleware.js';
export {
  CircuitBreaker,
  DeploymentHealth,
  LatencyTracker,
  TokenBucket,
  defaultFallbackOn,
  isContextLengthError,
  type BreakerPermit,
  type CircuitBreakerOptions,
  type CircuitBreakerState,
  type CircuitBreakerTransition,
  type FallbackSpec,
  type LoadBalanceSpec,
  type LoadBalanceStrategy,
  type PrioritySpec,
  type RuleMatch,
  type RulesSpec,
  type RouteNode,
  type RouteSpec,
  type Target,
  type TargetSpec,
  type TokenBucketOptions,
} from './routing/index.js';
export type { RetryOptions } from './call-options.js';
export type { RoutingOptions } from './config.js';
export type { ModelPrice } from './router.js';
export { redactSecrets, REDACTED } from './redact.js';
export { mapChunks } from './map-chunks.js';
export { readServerSentEvents, ServerSentEventDecoder, type ServerSentEvent } from './server-sent-events.js';
export type { ServerSentEventDecoderOptions } from './server-sent-events.js';
export {
  completionUsageFromUsage,
  usageFromCompletionUsage,
  usageFromEmbeddings,
  type Usage,
} from './usage.js';

export { isRetryableStatus, parseRetryAfter } from './retry-after.js';
export { MAX_RETRY_AFTER_MS } from './retry-after.js';
export { readEventStream, type EventStreamOptions, type EventTranslator } from './event-stream.js';
export { readWithinTurn } from './ends-promptly.js';
export { readBodyText } from './read-body-text.js';
export type { ReadBodyOptions } from './read-body-text.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_EVENT_BYTES,
  ResponseTooLargeError,
  resolveResponseLimits,
  type ResponseLimitName,
  type ResponseLimits,
  type ResponseSource,
} from './body-limits.js';
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
} from './adapter-errors.js';
export { isNetworkFailure, isUnserialisableParams, networkErrorCode } from './network-failure.js';
export { describeClient, invalidClientError } from './invalid-client.js';
export { KeyPool, SdkClientPool, type KeyedClient, type KeyPoolOptions, type PooledKey } from './key-pool.js';
export { excerpt, quoted, EXCERPT_LENGTH } from './excerpt.js';
export { MAX_TIMER_MS } from './call-options.js';
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
