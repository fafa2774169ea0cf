// `gateway.wrap()` of an `@anthropic-ai/sdk` client: the same client (a Proxy), whose `messages.create` / `stream` / `parse` go through the gateway in Anthropic's shapes.
import type { CallOptions } from '../../contract/call-options.js';
import type { ChatCompletion } from '../../contract/chat-completion.js';
import { UnknownModelError } from '../../errors/errors.js';
import type { ChatCompletionStream } from '../../pipeline/chat-completion-stream.js';
import type { DropInHost } from '../drop-in-host.js';
import type { WrapOptions } from '../wrap-options.js';
import { AnthropicEventStream, sseBody } from './anthropic-event-stream.js';
import type { AnthropicStreamEvent } from './anthropic-wire-types.js';
import { isAnthropicErrorClasses, toAnthropicError, type AnthropicErrorClasses } from './to-anthropic-error.js';
import { toAnthropicEvents } from './to-anthropic-events.js';
import { toAnthropicMessage } from './to-anthropic-message.js';
import { toGatewayParams } from './to-gateway-params.js';

/** What `client.messages.create` returns here: a promise of the data with the SDK's `withResponse()` and `asResponse()`. */
export interface AnthropicCallPromise<T> extends Promise<T> {
  withResponse(): Promise<{ data: T; response: Response; request_id: string | null; workspace_id: string | null }>;
  asResponse(): Promise<Response>;
}

/** The SDK's per-request options that mean something to the gateway. */
interface RequestOptionsLike {
  signal?: AbortSignal | null | undefined;
  timeout?: number | undefined;
}

interface MessagesLike {
  create: (...args: unknown[]) => unknown;
}

function isMessagesResource(value: unknown): value is MessagesLike {
  return typeof value === 'object' && value !== null && typeof (value as { create?: unknown }).create === 'function';
}

export function isAnthropicClient(client: object): boolean {
  const messages = (client as { messages?: { create?: unknown } }).messages;
  return typeof messages?.create === 'function';
}

/** Methods read through a Proxy are bound to the real object: the SDK's classes keep `#private` state that a Proxy `this` cannot reach. */
function bindingGet(target: object, prop: string | symbol, bound: WeakMap<object, unknown>): unknown {
  const value: unknown = Reflect.get(target, prop, target);
  if (typeof value !== 'function') return value;
  let fn = bound.get(value);
  if (fn === undefined) {
    fn = (value as (...args: unknown[]) => unknown).bind(target);
    bound.set(value, fn);
  }
  return fn;
}

export function wrapAnthropicClient<Client extends object>(host: DropInHost, client: Client, options: WrapOptions): Client {
  const classes: unknown = client.constructor;
  if (!isAnthropicErrorClasses(classes)) {
    throw new TypeError('Switchyard: gateway.wrap() needs an `@anthropic-ai/sdk` client made with `new Anthropic()`: this one has no SDK error classes (Anthropic.APIError and friends) on its class.');
  }
  const messages: unknown = Reflect.get(client, 'messages');
  if (!isMessagesResource(messages)) throw new TypeError('Switchyard: gateway.wrap() needs an `@anthropic-ai/sdk` client: this one has no `messages.create`.');
  const create = (params: unknown, requestOptions?: unknown) => createMessage(host, client, options, classes, params, requestOptions);
  const boundMessages = new WeakMap<object, unknown>();
  const wrappedMessages: object = new Proxy(messages, {
    get(target, prop) {
      if (prop === 'create') return create;
      // `stream()` and `parse()` build on `this.create` (MessageStream.createMessage calls `messages.create(...).withResponse()`): run them with the wrapped resource as `this`.
      if (prop === 'stream' || prop === 'parse') {
        const method: unknown = Reflect.get(target, prop, target);
        return typeof method === 'function' ? (...args: unknown[]) => (method as (...a: unknown[]) => unknown).apply(wrappedMessages, args) : method;
      }
      return bindingGet(target, prop, boundMessages);
    },
  });
  const boundClient = new WeakMap<object, unknown>();
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'messages') return wrappedMessages;
      if (prop === 'withOptions') {
        const withOptions: unknown = Reflect.get(target, prop, target);
        if (typeof withOptions === 'function') {
          // A copy with other SDK options is wrapped the same way: its model calls stay on the gateway.
          return (...args: unknown[]) => wrapAnthropicClient(host, (withOptions as (...a: unknown[]) => object).apply(target, args), options);
        }
      }
      return bindingGet(target, prop, boundClient);
    },
  });
}

/** `model` as the gateway names it: a route or target as it is, else `'<provider>/<model>'` of the wrap's provider. */
function gatewayModel(host: DropInHost, client: object, options: WrapOptions, model: unknown): string {
  if (typeof model !== 'string' || model === '') return '';
  if (host.knowsModel(model)) return model;
  const provider = options.provider ?? host.providerOf(client);
  if (provider === undefined) {
    throw new UnknownModelError(
      `model '${model}' is neither a route nor '<provider>/<model>' of a configured provider, and no provider is known for this client: pass gateway.wrap(client, { provider: '<key of providers>' }), or build a provider on this very client.`,
    );
  }
  return `${provider}/${model}`;
}

function requestOptionsOf(raw: unknown): RequestOptionsLike {
  if (typeof raw !== 'object' || raw === null) return {};
  const { signal, timeout } = raw as { signal?: unknown; timeout?: unknown };
  return {
    signal: signal instanceof AbortSignal ? signal : undefined,
    timeout: typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
  };
}

function rejected<T>(error: Error): AnthropicCallPromise<T> {
  const promise = Promise.reject(error) as AnthropicCallPromise<T>;
  promise.withResponse = () => Promise.reject(error);
  promise.asResponse = () => Promise.reject(error);
  return promise;
}

function createMessage(
  host: DropInHost,
  client: object,
  options: WrapOptions,
  classes: AnthropicErrorClasses,
  params: unknown,
  rawOptions: unknown,
): AnthropicCallPromise<unknown> {
  const requestOptions = requestOptionsOf(rawOptions);
  const requested = (params as { model?: unknown } | null)?.model;
  let translated: ReturnType<typeof toGatewayParams>;
  try {
    translated = toGatewayParams(params, gatewayModel(host, client, options, requested));
  } catch (error) {
    return rejected(toAnthropicError(classes, error));
  }
  // One controller per call: the caller's signal and the stream's `controller.abort()` both end the gateway call.
  const controller = new AbortController();
  const userSignal = requestOptions.signal ?? undefined;
  const onAbort = () => controller.abort();
  if (userSignal?.aborted) controller.abort();
  else userSignal?.addEventListener('abort', onAbort, { once: true });
  const release = () => userSignal?.removeEventListener('abort', onAbort);
  const callOptions: CallOptions = { signal: controller.signal, ...(requestOptions.timeout === undefined ? {} : { timeout: requestOptions.timeout }) };
  const call = host.chat(translated.params, callOptions).withMeta();
  const model = typeof requested === 'string' ? requested : '';
  const failed = (error: unknown): never => {
    release();
    throw toAnthropicError(classes, error);
  };

  if (!translated.stream) {
    const settled = call.then(({ data, meta }) => {
      release();
      let message: ReturnType<typeof toAnthropicMessage>;
      try {
        message = toAnthropicMessage(data as ChatCompletion);
      } catch (error) {
        throw toAnthropicError(classes, error);
      }
      // As the SDK marks what it parsed: the request id (the gateway's), not enumerable.
      Object.defineProperties(message, { _request_id: { value: meta.requestId, enumerable: false }, _workspace_id: { value: null, enumerable: false } });
      return { message, requestId: meta.requestId };
    }, failed);
    const data = settled.then(({ message }) => message);
    const response = () => settled.then(({ message, requestId }) => new Response(JSON.stringify(message), { status: 200, headers: headersOf(requestId, 'application/json') }));
    return withResponseMethods(data, response, response);
  }

  const started = call.then(({ data, meta }) => {
    const gatewayStream = data as ChatCompletionStream;
    let taken = false;
    const events = (): AsyncIterator<AnthropicStreamEvent> => {
      if (taken) throw new classes.AnthropicError('Cannot iterate over a consumed stream, use `.tee()` to split the stream.');
      taken = true;
      return releasing(toAnthropicEvents(gatewayStream, model), release);
    };
    return { events, requestId: meta.requestId };
  }, failed);
  const data = started.then(({ events }) => AnthropicEventStream.ofEvents(events, controller, classes));
  // With `withResponse()` the events are read from `data`; the response carries the headers only.
  const headersOnly = () => started.then(({ requestId }) => new Response(null, { status: 200, headers: headersOf(requestId, 'text/event-stream') }));
  const sse = () => started.then(({ events, requestId }) => new Response(sseBody(events, controller), { status: 200, headers: headersOf(requestId, 'text/event-stream') }));
  return withResponseMethods(data, headersOnly, sse);
}

async function* releasing<T>(source: AsyncGenerator<T, void, undefined>, release: () => void): AsyncGenerator<T, void, undefined> {
  try {
    yield* source;
  } finally {
    release();
  }
}

function headersOf(requestId: string, contentType: string): Headers {
  return new Headers({ 'content-type': contentType, 'request-id': requestId });
}

function withResponseMethods<T>(data: Promise<T>, withResponse: () => Promise<Response>, asResponse: () => Promise<Response>): AnthropicCallPromise<T> {
  const promise = data as AnthropicCallPromise<T>;
  promise.withResponse = async () => {
    const [value, response] = await Promise.all([data, withResponse()]);
    return { data: value, response, request_id: response.headers.get('request-id'), workspace_id: null };
  };
  promise.asResponse = asResponse;
  return promise;
}
