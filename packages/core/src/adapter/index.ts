/**
 * `@switchyard/core/adapter`: what a provider adapter's author uses, beside the contract types,
 * the error classes and the gateway that `@switchyard/core` exports to applications. An
 * application never needs this entry. (Its public names are pinned by test/public-exports.test.ts.)
 */
export { isProviderAdapter, type AdapterEndpoint, type Capabilities, type CallContext, type ChatRequest, type EmbeddingsRequest, type ProviderAdapter } from './adapter.js';
export { endpointOf } from './adapter-endpoint.js';
export { readServerSentEvents, ServerSentEventDecoder, type ServerSentEvent, type ServerSentEventDecoderOptions } from './server-sent-events.js';
export { pickResponseHeaders, providerResponseFromHeaders, type CallWarning, type ProviderResponse } from './provider-response.js';
export { completionUsageFromUsage, usageFromCompletionUsage, usageFromEmbeddings, type Usage } from './usage.js';
export { isRetryableStatus, parseRetryAfter, MAX_RETRY_AFTER_MS } from './retry-after.js';
export { readEventStream, type EventStreamOptions, type EventTranslator } from './event-stream.js';
export { readWithinTurn } from './ends-promptly.js';
export { readBodyText, type ReadBodyOptions } from './read-body-text.js';
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
export { typedStreamError } from './stream-errors.js';
export { isNetworkFailure, isUnserialisableParams, networkErrorCode } from './network-failure.js';
export { describeClient, invalidClientError } from './invalid-client.js';
export { KeyPool, SdkClientPool, type KeyedClient, type KeyPoolOptions, type PooledKey } from './key-pool.js';
export { excerpt, quoted, EXCERPT_LENGTH } from '../errors/excerpt.js';
export { MAX_TIMER_MS } from '../contract/call-options.js';
export { modelFacts, type InputModality, type ModelFacts, type ModelModalities, type ModelPrices, type OutputModality } from '../catalog/index.js';
