import { GatewayError, ProviderError } from '../errors/errors.js';

/**
 * What the caller sees when reading a provider's stream fails with something that is not a
 * `GatewayError` (a decoder limit, an adapter bug). Only the error's name is kept in the
 * message: a raw message may quote what the provider sent. Not retryable, so it neither
 * repeats nor counts against the deployment's health.
 */
export function typedStreamError(error: unknown, provider: string, model: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const name = error instanceof Error ? error.name : typeof error;
  return new ProviderError(`${provider}/${model}: reading the stream failed (${name}).`, {
    provider,
    model,
    retryable: false,
    providerCode: 'stream_read_failed',
    cause: error,
  });
}
