// PLACEHOLDER (being built): `gateway.wrap()` of an `openai` client.
import type { DropInHost } from '../drop-in-host.js';
import type { WrapOptions } from '../wrap-options.js';

export function isOpenAIClient(client: object): boolean {
  const chat = (client as { chat?: { completions?: { create?: unknown } } }).chat;
  return typeof chat?.completions?.create === 'function';
}

export function wrapOpenAIClient(host: DropInHost, client: object, options: WrapOptions): object {
  void host;
  void options;
  void client;
  throw new Error('not built yet');
}
