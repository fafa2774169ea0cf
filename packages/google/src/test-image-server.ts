import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Tests only: a server on 127.0.0.1 that counts what reaches it. */
export interface TestServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** The path (with query) of every request received, in order. */
  requests: string[];
  /** TCP connections accepted: 0 proves nothing even tried to connect. */
  connections: number;
}

/** A real 1×1 PNG, so the bytes that come back are recognisably an image. */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ff0ba3b8950000000049454e44ae426082',
  'hex',
);

const running: Server[] = [];

/** Starts a server on 127.0.0.1 with an OS-chosen port; `closeTestServers` closes it. */
export async function startTestServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<TestServer> {
  const server = createServer(handler);
  running.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const state: TestServer = { url: `http://127.0.0.1:${port}`, port, requests: [], connections: 0 };
  server.on('connection', () => state.connections++);
  server.on('request', (request: IncomingMessage) => state.requests.push(request.url ?? ''));
  return state;
}

/** A server that answers every request with the PNG. */
export function startImageServer(): Promise<TestServer> {
  return startTestServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
    response.end(PNG);
  });
}

/** Closes every server started since the last call, with its connections (hanging ones too). */
export async function closeTestServers(): Promise<void> {
  const closing = running.splice(0).map(
    (server) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Servers that never answer keep their sockets; close() alone would wait for them forever.
        server.closeAllConnections();
      }),
  );
  await Promise.all(closing);
}
