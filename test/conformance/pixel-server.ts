// The image cases' fixtures: a 1x1 PNG, and a local server answering it, for image URL sources the adapters fetch or pass on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Serves PNG for the enclosing describe block: `url()` is its address once the block's tests run. */
export function pixelServer(): { url: () => string } {
  let server: Server | undefined;
  let address = '';
  beforeAll(async () => {
    const started = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG));
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    address = `http://127.0.0.1:${(started.address() as AddressInfo).port}/pixel.png`;
  });
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  return { url: () => address };
}
