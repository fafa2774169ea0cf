import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isNetworkFailure, isUnserialisableParams, networkErrorCode } from './network-failure.js';

let open: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (open ? open.close(() => resolve()) : resolve()));
  open = undefined;
});

const listen = async (onSocket: (socket: Socket) => void = () => undefined) => {
  const server = createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
};

const thrown = async (run: () => unknown): Promise<unknown> => {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

describe('isNetworkFailure', () => {
  it("takes Node's fetch failing on a closed port (ECONNREFUSED) for one", async () => {
    const { server, url } = await listen();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await thrown(() => fetch(url));
    expect(error).toBeInstanceOf(TypeError);
    expect(isNetworkFailure(error)).toBe(true);
    expect(networkErrorCode(error)).toBe('ECONNREFUSED');
  });

  it('takes a connection reset before the answer (ECONNRESET) for one', async () => {
    const { server, url } = await listen((socket) => socket.on('data', () => socket.resetAndDestroy()));
    open = server;
    const error = await thrown(() => fetch(url));
    expect(isNetworkFailure(error)).toBe(true);
    expect(networkErrorCode(error)).toBe('ECONNRESET');
  });

  it('takes a body cut off mid-read for one', async () => {
    const { server, url } = await listen((socket) =>
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 100\r\n\r\npart', () => socket.destroy());
      }),
    );
    open = server;
    const response = await fetch(url);
    const error = await thrown(() => response.text());
    expect(isNetworkFailure(error)).toBe(true);
  });

  it('does not take the engine refusing the params for one (a circular value, a BigInt)', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const value of [circular, { n: 10n }]) {
      const error = (() => {
        try {
          JSON.stringify(value);
        } catch (e) {
          return e;
        }
        throw new Error('expected JSON.stringify to throw');
      })();
      expect(error).toBeInstanceOf(TypeError);
      expect(isNetworkFailure(error)).toBe(false);
      expect(isUnserialisableParams(error)).toBe(true);
    }
  });

  it('does not take other TypeErrors, nor a fetch failure caused by the request itself, for one', () => {
    expect(isNetworkFailure(new TypeError("Cannot read properties of undefined (reading 'create')"))).toBe(false);
    const invalidArgument = Object.assign(new Error('invalid content-length header'), { code: 'UND_ERR_INVALID_ARG' });
    expect(isNetworkFailure(new TypeError('fetch failed', { cause: invalidArgument }))).toBe(false);
    expect(isUnserialisableParams(new TypeError("Cannot read properties of undefined (reading 'create')"))).toBe(false);
  });

  it("takes the Stainless SDKs' connection errors, and other fetches' system errors, for one", () => {
    class APIConnectionError extends Error {}
    class APIConnectionTimeoutError extends Error {}
    expect(isNetworkFailure(new APIConnectionError('Connection error.'))).toBe(true);
    expect(isNetworkFailure(new APIConnectionTimeoutError('Request timed out.'))).toBe(true);
    // node-fetch and similar: a FetchError carrying the system error's code.
    const fetchError = Object.assign(new Error('request to https://x failed, reason: connect ECONNREFUSED'), { name: 'FetchError', code: 'ECONNREFUSED' });
    expect(isNetworkFailure(fetchError)).toBe(true);
    const tls = new TypeError('fetch failed', { cause: Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }) });
    expect(isNetworkFailure(tls)).toBe(true);
    expect(isNetworkFailure('ECONNREFUSED')).toBe(false);
  });
});
