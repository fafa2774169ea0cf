// `gateway.wrap()` of an `openai` client: Proxies that send `chat.completions.create` and `embeddings.create` through the gateway and pass everything else to the real client.
import type { CallOptions } from '../../contract/call-options.js';
import type { ChatCompletionCreateParams } from '../../contract/chat-params.js';
import type { EmbeddingCreateParams } from '../../contract/embeddings.js';
import { UnknownModelError } from '../../errors/errors.js';
import type { CallMeta } from '../../pipeline/call-meta.js';
import type { CallPromise } from '../../pipeline/call-promise.js';
import type { DropInHost } from '../drop-in-host.js';
import type { WrapOptions } from '../wrap-options.js';
import { markWrapped } from '../wrapped-clients.js';
import { SdkCallPromise, type SdkAnswer } from './openai-api-promise.js';
import { sdkErrorsOf, toSdkError, type OpenAISdkErrors } from './openai-sdk-errors.js';
import { SdkStream } from '../sdk-stream.js';
import { readGatewayStream } from './read-gateway-stream.js';
import type { ChatCompletionChunk } from '../../contract/chat-chunk.js';
import { sseBody } from '../fetch/sse-body.js';

/** Whether `client` looks like an `openai` client: it has `chat.completions.create`. */
export function isOpenAIClient(client: object): boolean {
  const chat = (client as { chat?: { completions?: { create?: unknown } } }).chat;
  return typeof chat?.completions?.create === 'function';
}

/** What a client made by a wrapped client's `withOptions()` keeps of its parent's wrap. */
interface Inherited {
  /** The parent's real client, whose provider a model name that is no route goes to when this one's has none. */
  readonly parent: object | undefined;
  /** `timeout` given to `withOptions()`: the default for this client's calls. */
  readonly timeout: number | undefined;
}

/** `client` with its model calls through `host`, typed and behaving as the `openai` client it is otherwise. */
export function wrapOpenAIClient(host: DropInHost, client: object, options: WrapOptions): object {
  return wrapWith(host, client, options, { parent: undefined, timeout: undefined });
}

/** The SDK request options (the second argument of `create`) the gateway carries; the rest is ignored (docs/wrap-openai.md). */
interface SdkRequestOptions {
  signal?: AbortSignal | null | undefined;
  timeout?: number | undefined;
}

function requestOptionsOf(value: unknown): SdkRequestOptions {
  return typeof value === 'object' && value !== null ? (value as SdkRequestOptions) : {};
}

function timeoutOf(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function wrapWith(host: DropInHost, client: object, options: WrapOptions, inherited: Inherited): object {
  const errors = sdkErrorsOf(client);
  const toError = (error: unknown) => toSdkError(error, errors);

  /** The model as the gateway is asked for it, decided at call time against the config in use (a reload applies). */
  const targetOf = (model: unknown): unknown => {
    if (typeof model !== 'string' || host.knowsModel(model)) return model; // a non-string: the gateway's validation says what is wrong
    const provider = options.provider ?? host.providerOf(client) ?? (inherited.parent ? host.providerOf(inherited.parent) : undefined);
    if (provider === undefined) {
      throw new UnknownModelError(
        `Model '${model}' is neither a route nor '<provider>/<model>' of a configured provider, and this wrapped client has no provider of its own to send it to. ` +
          'Add `openai({ client })` with this very client to the gateway\'s `providers`, pass `gateway.wrap(client, { provider: \'<provider key>\' })`, or use a configured route name.',
      );
    }
    return `${provider}/${model}`;
  };

  const callOptionsOf = (requestOptions: SdkRequestOptions, signal: AbortSignal | undefined): CallOptions => {
    const timeout = timeoutOf(requestOptions.timeout) ?? inherited.timeout;
    const callOptions: CallOptions = {};
    if (signal) callOptions.signal = signal;
    if (timeout !== undefined) callOptions.timeout = timeout;
    return callOptions;
  };

  const startOf = <T>(path: string, body: unknown, stream: boolean, controller: AbortController | undefined, run: () => Promise<SdkAnswer<T>>): SdkCallPromise<T> => {
    const request = { path, body, stream, controller, startTime: Date.now() };
    let answer: Promise<SdkAnswer<T>>;
    try {
      answer = run();
    } catch (error) {
      answer = Promise.reject(toError(error));
    }
    return new SdkCallPromise(answer, request);
  };

  const createChat = (body: unknown, requestOptionsArg?: unknown): SdkCallPromise<unknown> => {
    const params = (typeof body === 'object' && body !== null ? body : {}) as Partial<ChatCompletionCreateParams>;
    const stream = params.stream === true;
    const requestOptions = requestOptionsOf(requestOptionsArg);
    const userSignal = requestOptions.signal ?? undefined;
    // A stream's controller ends the gateway call: it is the call's signal, following the caller's.
    const controller = stream ? new AbortController() : undefined;
    // The caller's signal may outlive many calls (one per app): its listener goes when this call ends.
    let release = (): void => undefined;
    if (controller && userSignal) {
      if (userSignal.aborted) controller.abort(userSignal.reason);
      else {
        const follow = () => controller.abort(userSignal.reason);
        userSignal.addEventListener('abort', follow, { once: true });
        release = () => userSignal.removeEventListener('abort', follow);
      }
    }
    return startOf('/chat/completions', body, stream, controller, () => {
      try {
        const model = targetOf(params.model);
        const routed = model === params.model ? body : { ...params, model };
        const call = host.chat(routed as ChatCompletionCreateParams, callOptionsOf(requestOptions, controller ? controller.signal : userSignal));
        return settle(call, errors, toError, controller, release);
      } catch (error) {
        release();
        throw error;
      }
    });
  };

  const createEmbeddings = (body: unknown, requestOptionsArg?: unknown): SdkCallPromise<unknown> => {
    const params = (typeof body === 'object' && body !== null ? body : {}) as Partial<EmbeddingCreateParams>;
    const requestOptions = requestOptionsOf(requestOptionsArg);
    return startOf('/embeddings', body, false, undefined, () => {
      const model = targetOf(params.model);
      const routed = model === params.model ? body : { ...params, model };
      return settle(host.embed(routed as EmbeddingCreateParams, callOptionsOf(requestOptions, requestOptions.signal ?? undefined)), errors, toError, undefined);
    });
  };

  const ownWithOptions: unknown = Reflect.get(client, 'withOptions');
  const withOptions = (clientOptions: unknown): unknown => {
    if (typeof ownWithOptions !== 'function') return undefined;
    const made: unknown = Reflect.apply(ownWithOptions, client, [clientOptions]);
    if (typeof made !== 'object' || made === null) return made;
    const timeout = typeof clientOptions === 'object' && clientOptions !== null ? timeoutOf(Reflect.get(clientOptions, 'timeout')) : undefined;
    return markWrapped(wrapWith(host, made, options, { parent: inherited.parent ?? client, timeout: timeout ?? inherited.timeout }));
  };

  // The resources' `_client` is the wrapped client, made below: read when a helper runs.
  const self = () => wrappedClient;
  const completions = resourceProxy(() => Reflect.get(Reflect.get(client, 'chat'), 'completions'), { create: createChat }, self);
  const chat = resourceProxy(() => Reflect.get(client, 'chat'), { completions }, self);
  const embeddings = resourceProxy(() => Reflect.get(client, 'embeddings'), { create: createEmbeddings }, self);
  // `withOptions()` makes a new client: it comes back wrapped the same way.
  const replaced: Record<PropertyKey, unknown> = typeof ownWithOptions === 'function' ? { chat, embeddings, withOptions } : { chat, embeddings };
  const bound = new Map<PropertyKey, { of: unknown; fn: unknown }>();
  const wrappedClient: object = new Proxy(client, {
    get(target, key) {
      if (Object.hasOwn(replaced, key)) return replaced[key];
      const value: unknown = Reflect.get(target, key, target);
      // The client's methods use its private fields: they run on the real client, bound once so that identity holds.
      if (typeof value !== 'function' || key === 'constructor') return value;
      const known = bound.get(key);
      if (known && known.of === value) return known.fn;
      const fn = (value as (...args: unknown[]) => unknown).bind(target);
      bound.set(key, { of: value, fn });
      return fn;
    },
    set(target, key, value) {
      return Reflect.set(target, key, value, target);
    },
  });
  return wrappedClient;
}

/**
 * A resource of the client (`chat`, `chat.completions`, `embeddings`) whose `overrides` replace
 * its own members and whose `_client` is the wrapped client: the SDK's helpers (`parse`,
 * `stream`, `runTools`) call `this._client.chat.completions.create`, which so reaches the gateway.
 */
function resourceProxy(resource: () => unknown, overrides: Record<string, unknown>, wrappedClient: () => object): unknown {
  const target = resource();
  // A client without this resource keeps not having it.
  if (typeof target !== 'object' || target === null) return target;
  return new Proxy(target, {
    get(real, key) {
      if (key === '_client') return wrappedClient();
      if (typeof key === 'string' && Object.hasOwn(overrides, key)) return overrides[key];
      return Reflect.get(real, key, real);
    },
  });
}

/** The gateway call's outcome for the SDK: its data (a stream made an `SdkStream`), its meta, its `Response`, errors made the SDK's. */
function settle<T>(call: CallPromise<T>, errors: OpenAISdkErrors | undefined, toError: (error: unknown) => unknown, controller: AbortController | undefined, release: () => void = () => undefined): Promise<SdkAnswer<unknown>> {
  return call.withMeta().then(
    ({ data, meta }) => {
      // A stream's call ends when the stream does (read to the end, left, aborted or failed).
      void meta.finished.then(release, release);
      return answerOf(data, meta, errors, toError, controller);
    },
    (error: unknown) => {
      release();
      throw toError(error);
    },
  );
}

function answerOf(data: unknown, meta: CallMeta, errors: OpenAISdkErrors | undefined, toError: (error: unknown) => unknown, controller: AbortController | undefined): SdkAnswer<unknown> {
  const headers = (type: string) => new Headers({ 'x-request-id': meta.requestId, 'content-type': type });
  if (controller && isAsyncIterable(data)) {
    const source = data;
    const stream = new SdkStream(() => readGatewayStream(source, controller, toError), controller, errors ? (message) => new errors.OpenAIError(message) : undefined);
    return {
      data: stream,
      meta,
      headersOnly: () => new Response(null, { status: 200, headers: headers('text/event-stream') }),
      // The SSE body reads the stream: the stream is consumed by whichever is read.
      response: () => new Response(sseBody(stream[Symbol.asyncIterator]() as AsyncIterator<ChatCompletionChunk>, undefined), { status: 200, headers: headers('text/event-stream') }),
    };
  }
  return {
    data,
    meta,
    headersOnly: () => new Response(null, { status: 200, headers: headers('application/json') }),
    response: () => new Response(JSON.stringify(data), { status: 200, headers: headers('application/json') }),
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}
