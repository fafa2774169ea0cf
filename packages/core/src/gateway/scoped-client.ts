// `gateway.scope()`'s client: the gateway's API, calling as one principal within the scope's models, limits, budget and regions.
import type { CallOptions } from '../contract/call-options.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { CreateEmbeddingResponse } from '../contract/embeddings.js';
import type { BudgetState } from '../governance/budget-reader.js';
import type { ScopePolicy } from '../governance/scope-policy.js';
import type { CallPromise } from '../pipeline/call-promise.js';
import type { ChatCompletions, Embeddings } from './gateway.js';

/** What a scoped client reaches through: the gateway's current runtime, so that `reload()` applies to scopes too. */
export interface ScopeHost {
  create(operation: 'chat' | 'embeddings', params: unknown, options: CallOptions | undefined, scope: ScopePolicy): CallPromise<unknown>;
  readBudget(scope: ScopePolicy): Promise<BudgetState | undefined>;
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
