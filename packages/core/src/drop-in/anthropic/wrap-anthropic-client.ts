// `gateway.wrap()` of an `@anthropic-ai/sdk` client: the same client (a Proxy), whose `messages.create` / `stream` / `parse` go through the gateway in Anthropic's shapes.
import type { CallOptions } from '../../contract/call-options.js';
import type { ChatCompletion } from '../../contract/chat-completion.js';
import { UnknownModelError } from '../../errors/errors.js';
import type { ChatCompletionStream } from '../../pipeline/chat-completion-stream.js';
import type { DropInHost } from '../drop-in-host.js';
import type { WrapOptions } from '../wrap-options.js';
import { markWrapped } from '../wrapped-clients.js';
import { AnthropicCallPromise, type AnthropicAnswer } from './anthropic-call-promise.js';
import { anthropicEventStream } from './anthropic-event-stream.js';
import { sseBody } from './anthropic-sse-body.js';
import type { AnthropicStreamEvent } from './anthropic-wire-types.js';
import { isAnthropicErrorClasses, toAnthropicError, type AnthropicErrorClasses } from './to-anthropic-error.js';
import { toAnthropicEvents } from './to-anthropic-events.js';
import { toAnthropicMessage } from './to-anthropic-message.js';
import { toGatewayParams } from './to-gateway-params.js';

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

/** What a client made by a wrapped client's `withOptions()` keeps of its parent's wrap. */
interface Inherited {
  /** The parent's real client, whose provider a model name that is no route goes to when this one's has none. */
  readonly parent: object | undefined;
  /** `timeout` given to `withOptions()`: the default for this client's calls. */
  readonly timeout: number | undefined;
}

export function wrapAnthropicClient<Client extends object>(host: DropInHost, client: Client, options: WrapOptions): Client {
  return wrapWith(host, client, options, { parent: undefined, timeout: undefined });
}

function wrapWith<Client extends object>(host: DropInHost, client: Client, options: WrapOptions, inherited: Inherited): Client {
  const classes: unknown = client.constructor;
  if (!isAnthropicErrorClasses(classes)) {
    throw new TypeError('Switchyard: gateway.wrap() needs an `@anthropic-ai/sdk` client made with `new Anthropic()`: this one has no SDK error classes (Anthropic.APIError and friends) on its class.');
  }
  const messages: unknown = Reflect.get(client, 'messages');
  if (!isMessagesResource(messages)) throw new TypeError('Switchyard: gateway.wrap() needs an `@anthropic-ai/sdk` client: this one has no `messages.create`.');
  const create = (params: unknown, requestOptions?: unknown) => createMessage(host, client, options, inherited, classes, params, requestOptions);
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
          // A copy with other SDK options is wrapped the same way: its model calls stay on the gateway, on this client's provider, with its timeout as the default.
          return (clientOptions?: unknown) => {
            const copy = (withOptions as (o: unknown) => object).call(target, clientOptions);
            const timeout = typeof clientOptions === 'object' && clientOptions !== null ? positiveTimeout(Reflect.get(clientOptions, 'timeout')) : undefined;
            return markWrapped(wrapWith(host, copy, options, { parent: inherited.parent ?? target, timeout: timeout ?? inherited.timeout }));
          };
        }
      }
      return bindingGet(target, prop, boundClient);
    },
  });
}

/** `model` as the gateway names it: a route or target as it is, else `'<provider>/<model>'` of the wrap's provider. */
function gatewayModel(host: DropInHost, client: object, options: WrapOptions, inherited: Inherited, model: unknown): string {
  if (typeof model !== 'string' || model === '') return '';
  if (host.knowsModel(model)) return model;
  const provider = options.provider ?? host.providerOf(client) ?? (inherited.parent === undefined ? undefined : host.providerOf(inherited.parent));
  if (provider === undefined) {
    throw new UnknownModelError(
      `model '${model}' is neither a route nor '<provider>/<model>' of a configured provider, and no provider is known for this client: pass gateway.wrap(client, { provider: '<key of providers>' }), or build a provider on this very client.`,
    );
  }
  return `${provider}/${model}`;
}

function positiveTimeout(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function requestOptionsOf(raw: unknown): RequestOptionsLike {
  if (typeof raw !== 'object' || raw === null) return {};
  const { signal, timeout } = raw as { signal?: unknown; timeout?: unknown };
  return { signal: signal instanceof AbortSignal ? signal : undefined, timeout: positiveTimeout(timeout) };
}

function createMessage(
  host: DropInHost,
  client: object,
  options: WrapOptions,
  inherited: Inherited,
  classes: AnthropicErrorClasses,
  params: unknown,
  rawOptions: unknown,
): AnthropicCallPromise<unknown> {
  const requestOptions = requestOptionsOf(rawOptions);
  const requested = (params as { model?: unknown } | null)?.model;
  let translated: ReturnType<typeof toGatewayParams>;
  try {
    translated = toGatewayParams(params, gatewayModel(host, client, options, inherited, requested));
  } catch (error) {
    return new AnthropicCallPromise(Promise.reject(toAnthropicError(classes, error)));
  }
  // One controller per call: the caller's signal and the stream's `controller.abort()` both end the gateway call.
  const controller = new AbortController();
  const userSignal = requestOptions.signal ?? undefined;
  const onAbort = () => controller.abort();
  if (userSignal?.aborted) controller.abort();
  else userSignal?.addEventListener('abort', onAbort, { once: true });
  // The caller's signal may outlive many calls: its listener goes when this call ends (a stream's, once the stream has ended).
  const release = () => userSignal?.removeEventListener('abort', onAbort);
  const timeout = requestOptions.timeout ?? inherited.timeout;
  const callOptions: CallOptions = { signal: controller.signal, ...(timeout === undefined ? {} : { timeout }) };
  const call = host.chat(translated.params, callOptions).withMeta();
  const model = typeof requested === 'string' ? requested : '';
  const failed = (error: unknown): never => {
    release();
    throw toAnthropicError(classes, error);
  };

  if (!translated.stream) {
    const answer = call.then(({ data, meta }): AnthropicAnswer<unknown> => {
      release();
      let message: ReturnType<typeof toAnthropicMessage>;
      try {
        message = toAnthropicMessage(data as ChatCompletion);
      } catch (error) {
        throw toAnthropicError(classes, error);
      }
      // As the SDK marks what it parsed: the request id (the gateway's), not enumerable.
      Object.defineProperties(message, { _request_id: { value: meta.requestId, enumerable: false }, _workspace_id: { value: null, enumerable: false } });
      const response = () => new Response(JSON.stringify(message), { status: 200, headers: headersOf(meta.requestId, 'application/json') });
      return { data: message, response, responseBesideData: response };
    }, failed);
    return new AnthropicCallPromise(answer);
  }

  const answer = call.then(({ data, meta }): AnthropicAnswer<unknown> => {
    void meta.finished.then(release);
    const gatewayStream = data as ChatCompletionStream;
    let taken = false;
    const events = (): AsyncIterator<AnthropicStreamEvent> => {
      if (taken) throw new classes.AnthropicError('Cannot iterate over a consumed stream, use `.tee()` to split the stream.');
      taken = true;
      return releasing(toAnthropicEvents(gatewayStream, model), release);
    };
    return {
      // Read through `data` or through `response()`'s SSE body: `events` hands the answer out once.
      data: anthropicEventStream(events, controller, classes),
      response: () => new Response(sseBody(events, controller), { status: 200, headers: headersOf(meta.requestId, 'text/event-stream') }),
      responseBesideData: () => new Response(null, { status: 200, headers: headersOf(meta.requestId, 'text/event-stream') }),
    };
  }, failed);
  return new AnthropicCallPromise(answer);
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
