// PLACEHOLDER (being built): `gateway.fetch`, OpenAI's HTTP API in-process.
import type { DropInHost } from '../drop-in-host.js';

export function createGatewayFetch(host: DropInHost): typeof globalThis.fetch {
  void host;
  return () => Promise.reject(new Error('not built yet'));
}
