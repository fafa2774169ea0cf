// `gateway.wrap(client)`: tells the SDK client's kind by its shape and wraps it as that kind.
import type { DropInHost } from './drop-in-host.js';
import type { WrapOptions } from './wrap-options.js';
import { isAnthropicClient, wrapAnthropicClient } from './anthropic/wrap-anthropic-client.js';
import { isOpenAIClient, wrapOpenAIClient } from './openai/wrap-openai-client.js';
import { isWrappedClient, markWrapped } from './wrapped-clients.js';

/** `client` typed as it is, its model calls through `host`; a `TypeError` for an object that is neither an `openai` nor an `@anthropic-ai/sdk` client. */
export function wrapClient<Client extends object>(host: DropInHost, client: Client, options: WrapOptions): Client {
  // Wrapping a wrapped client would run every call through the gateway twice.
  if (isWrappedClient(client)) throw new TypeError('Switchyard: this client is already wrapped by gateway.wrap(); wrap the original client instead.');
  if (isOpenAIClient(client)) return markWrapped(wrapOpenAIClient(host, client, options) as Client);
  if (isAnthropicClient(client)) return markWrapped(wrapAnthropicClient(host, client, options) as Client);
  throw new TypeError('Switchyard: gateway.wrap() takes an `openai` client (new OpenAI()) or an `@anthropic-ai/sdk` client (new Anthropic()); this object has neither `chat.completions.create` nor `messages.create`.');
}
