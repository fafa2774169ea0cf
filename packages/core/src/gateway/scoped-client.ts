// `gateway.scope()`'s client: the gateway's API, calling as one principal within the scope's models, limits, budget and regions.
import type { CallOptions } from '../contract/call-options.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { CreateEmbeddingResponse } from '../contract/embeddings.js';
import type { BudgetState } from '../governance/budget-reader.js';
import type { ScopePolicy } from '../governance/scope-policy.js';
import type { CallPromise } from '../pipeline/call-promise.js';
import type { DropInHost } from '../drop-in/drop-in-host.js';
import { createGatewayFetch } from '../drop-in/fetch/gateway-fetch.js';
import { wrapClient } from '../drop-in/wrap-client.js';
import type { WrapOptions } from '../drop-in/wrap-options.js';
import type { ChatCompletions, Embeddings } from './gateway.js';

/** What a scoped client reaches through: the gateway's current runtime, so that `reload()` applies to scopes too. */
export interface ScopeHost {
  create(operation: 'chat' | 'embeddings', params: unknown, options: CallOptions | undefined, scope: ScopePolicy): CallPromise<unknown>;
  readBudget(scope: ScopePolicy): Promise<BudgetState | undefined>;
  /** The front door the scope's wrapped clients and fetch call through. */
  dropIn(scope: ScopePolicy): DropInHost;
}

/**
 * A client with the gateway's API (`chat.completions.create`, `embeddings.create`, and
 * `withMeta()` on each call) that holds no provider keys: every call is made as the scope's
 * principal, may use only the scope's models, counts against its own limits and budget (and
 * every rule of the gateway), and is served only in its regions. `revoke()` ends it.
 */
export class ScopedClient {
  readonly chat: { readonly completions: ChatCompletions };
  readonly embeddings: Embeddings;
  readonly #policy: ScopePolicy;
  readonly #host: ScopeHost;

  constructor(policy: ScopePolicy, host: ScopeHost) {
    this.#policy = policy;
    this.#host = host;
    const create = (params: ChatCompletionCreateParams, options?: CallOptions) => host.create('chat', params, options, policy);
    this.chat = { completions: { create } as ChatCompletions };
    this.embeddings = { create: (params, options) => host.create('embeddings', params, options, policy) as CallPromise<CreateEmbeddingResponse> };
  }

  /**
   * `client` (an `openai` or `@anthropic-ai/sdk` client) typed as it is, its model calls made as
   * this scope, as `gateway.wrap(client, { scope })` does (docs/drop-in.md).
   */
  wrap<Client extends object>(client: Client, options: Omit<WrapOptions, 'scope'> = {}): Client {
    return wrapClient(this.#host.dropIn(this.#policy), client, options);
  }

  /** `gateway.fetch` whose calls are made as this scope: hand it to code that should call only as this principal (docs/fetch.md). */
  get fetch(): typeof globalThis.fetch {
    return (this.#fetch ??= createGatewayFetch(this.#host.dropIn(this.#policy)));
  }

  #fetch: typeof globalThis.fetch | undefined;

  /** The scope's id: what its errors, events and counters name. */
  get id(): string {
    return this.#policy.id;
  }

  get revoked(): boolean {
    return this.#policy.revoked;
  }

  /** Every later call fails with `ScopeRevokedError`; calls already running finish. Cannot be undone. */
  revoke(): void {
    this.#policy.revoked = true;
  }

  /** How the scope's own budget stands (`undefined` when it has none). */
  budget(): Promise<BudgetState | undefined> {
    return this.#host.readBudget(this.#policy);
  }
}
