import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { ChatReply, ErrorReply, MockReply, RecordedRequest, ReplyFaults, ReplyScript } from './mock-reply.js';
import { openaiWireFormat } from './openai-wire-format.js';
import type { WireEvent, WireFormat } from './wire-format.js';

export interface MockServerOptions {
  /** The wire format to speak (default: OpenAI's). */
  format?: WireFormat;
  /** Path prefix the SDK's base URL ends in (default: the format's `defaultBasePath`, else `/v1`). */
  basePath?: string;
  /** Answer when no scripted reply is queued (default: a short chat answer / embeddings). */
  fallback?: ReplyScript;
}

export interface MockServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** What to give the SDK as `baseURL`: `url` plus the base path. */
  readonly baseURL: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Connections open right now (a client's idle keep-alive ones too): 0 once every client has let go. */
  readonly openConnections: number;
  /** Queues replies, used one per request in order before the fallback. */
  enqueue(...replies: ReplyScript[]): void;
  /** Replaces the reply used when the queue is empty. */
  setFallback(reply: ReplyScript): void;
  /** Closes the server, destroying open connections (hanging ones too) and pending timers. */
  close(): Promise<void>;
}

/** Starts a mock provider on 127.0.0.1 and a free port. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const format = options.format ?? openaiWireFormat;
  const basePath = options.basePath ?? format.defaultBasePath ?? '/v1';
  const queue: ReplyScript[] = [];
  let fallback: ReplyScript | undefined = options.fallback;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number | undefined) =>
    ms && ms > 0
      ? new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, ms);
          timers.add(timer);
        })
      : Promise.resolve();

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Keep the raw text: a test may be checking what a client sent.
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body };
    requests.push(request);

    const endpoint = format.endpoint(request.method, url.pathname);
    const script = queue.shift() ?? fallback;
    const reply: MockReply =
      typeof script === 'function' ? script(request) : (script ?? (endpoint === 'embeddings' ? { kind: 'embeddings' } : {}));

    await wait(reply.delayMs);
    if (reply.hang === 'headers') return; // never answer
    if (!endpoint && reply.kind !== 'raw' && reply.kind !== 'error') {
      sendError(res, { kind: 'error', status: 404, message: `No mock route for ${request.method} ${url.pathname}` });
      return;
    }

    switch (reply.kind) {
      case 'error':
        sendError(res, reply);
        return;
      case 'raw':
        if (typeof reply.body === 'string') await sendText(res, reply.status ?? 200, reply.body, reply.headers ?? {}, reply);
        else await sendJson(res, reply.status ?? 200, reply.body, reply.headers, reply);
        return;
      case 'raw-stream': {
        const events = reply.events.map((event) => (typeof event === 'string' ? { data: event } : event));
        await stream(res, reply.end === false ? events : [...events, ...format.streamEnd], reply);
        return;
      }
      case 'embeddings':
        if (format.embeddings) await sendJson(res, 200, format.embeddings(reply, request), reply.headers, reply);
        else sendError(res, { kind: 'error', status: 404, message: `The ${format.name} format has no embeddings` });
        return;
      default: {
        const chat: ChatReply = reply;
        if (format.isStream(request)) await stream(res, [...format.streamEvents(chat, request), ...format.streamEnd], chat);
        else await sendJson(res, 200, format.completion(chat, request), chat.headers, chat);
      }
    }
  }

  function sendError(res: ServerResponse, reply: ErrorReply): void {
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
    // Size faults are for answers: an error body is always sent as it is.
    void sendJson(res, reply.status, format.error(reply), headers, { ...reply, endlessBody: false, gzipInflatesTo: undefined });
  }

  async function stream(res: ServerResponse, events: WireEvent[], faults: ReplyFaults): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...faults.headers });
    res.flushHeaders();
    if (faults.hang === 'body') return;
    await wait(faults.firstChunkDelayMs);
    for (let i = 0; i < events.length; i++) {
      if (faults.cutAfter !== undefined && i >= faults.cutAfter) {
        // Let what was written reach the client, then drop the connection without ending the body.
        await new Promise<void>((resolve) => res.write('', () => resolve()));
        res.socket?.destroy();
        return;
      }
      if (faults.hangAfter !== undefined && i >= faults.hangAfter) return;
      if (faults.hugeEvent && i >= (faults.hugeEvent.after ?? 0)) {
        await sendHugeEvent(res, faults.hugeEvent);
        return;
      }
      if (i > 0) await wait(faults.chunkDelayMs);
      if (res.destroyed) return;
      const event = events[i] as WireEvent;
      const data = faults.malformedAt === i ? '{"mock": [ this is not json' : event.data;
      res.write(event.event ? `event: ${event.event}\ndata: ${data}\n\n` : `data: ${data}\n\n`);
    }
    if (faults.hugeEvent && events.length <= (faults.hugeEvent.after ?? 0)) {
      await sendHugeEvent(res, faults.hugeEvent);
      return;
    }
    if (faults.holdOpen) return; // the end marker is out; the body never ends
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseURL: url + basePath,
    requests,
    get openConnections() {
      return sockets.size;
    },
    enqueue: (...replies) => queue.push(...replies),
    setFallback: (reply) => {
      fallback = reply;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, faults: ReplyFaults = {}): Promise<void> {
  return sendText(res, status, JSON.stringify(body), headers, faults);
}

/**
 * With `hang: 'body'`, the headers and the first half of the body go out, then nothing more.
 * `endlessBody` and `gzipInflatesTo` replace the body with one too large to read.
 */
async function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string>, faults: ReplyFaults): Promise<void> {
  if (faults.endlessBody) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.write('{"filler":"');
    await pour(res, FILLER, Number.POSITIVE_INFINITY);
    return;
  }
  if (faults.gzipInflatesTo !== undefined) {
    const body = gzipBomb(faults.gzipInflatesTo);
    res.writeHead(status, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.byteLength, ...headers });
    res.end(body);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  if (faults.hang === 'body') res.write(text.slice(0, Math.floor(text.length / 2)));
  else res.end(text);
}

const MiB = 1024 * 1024;
const FILLER = Buffer.alloc(MiB, 'a');

/** `{ bytes, as }` of `hugeEvent`: one event that never ends, then the end of the body. */
async function sendHugeEvent(res: ServerResponse, event: { bytes: number; as: 'line' | 'lines' }): Promise<void> {
  if (event.as === 'line') {
    res.write('data: ');
    if (await pour(res, FILLER, event.bytes)) res.end();
    return;
  }
  const line = Buffer.concat([Buffer.from('data: '), FILLER.subarray(6), Buffer.from('\n')]);
  if (await pour(res, line, event.bytes)) res.end();
}

/**
 * Writes `total` bytes as repeats of `piece`, waiting while the client reads; stops when the
 * client goes away. Whether it got to the end.
 */
async function pour(res: ServerResponse, piece: Buffer, total: number): Promise<boolean> {
  for (let sent = 0; sent < total; sent += piece.byteLength) {
    if (res.destroyed) return false;
    const part = total - sent >= piece.byteLength ? piece : piece.subarray(0, total - sent);
    if (!res.write(part)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  return !res.destroyed;
}

let gzippedFiller: Buffer | undefined;

/**
 * A gzip body that inflates to `bytes` bytes of JSON: gzip members one after the other
 * inflate as one stream, so 1 MiB of filler is compressed once and repeated.
 */
function gzipBomb(bytes: number): Buffer {
  gzippedFiller ??= gzipSync(FILLER);
  const head = '{"filler":"';
  const tail = '"}';
  const filler = Math.max(0, bytes - head.length - tail.length);
  const members: Buffer[] = [gzipSync(head)];
  for (let i = 0; i < Math.floor(filler / MiB); i++) members.push(gzippedFiller);
  members.push(gzipSync(Buffer.alloc(filler % MiB, 'a')), gzipSync(tail));
  return Buffer.concat(members);
}
