// PLACEHOLDER (being built): `gateway.wrap()` of an `@anthropic-ai/sdk` client.
import type { DropInHost } from '../drop-in-host.js';
import type { WrapOptions } from '../wrap-options.js';

export function isAnthropicClient(client: object): boolean {
  const messages = (client as { messages?: { create?: unknown } }).messages;
  return typeof messages?.create === 'function';
}

export function wrapAnthropicClient(host: DropInHost, client: object, options: WrapOptions): object {
  void host;
  void options;
  void client;
  throw new Error('not built yet');
}
