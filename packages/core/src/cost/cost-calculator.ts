import type { Usage } from '../adapter/usage.js';
import type { ModelCatalog } from '../catalog/lookup.js';
import type { CallCost } from './call-cost.js';
import { priceUsage } from './price-usage.js';

/** Prices usage for one gateway's catalog: a target's prices are looked up once (the catalog caches them). */
export class CostCalculator {
  readonly #catalog: ModelCatalog;

  constructor(catalog: ModelCatalog) {
    this.#catalog = catalog;
  }

  /** What `usage` on `provider`/`model` (the provider's model name) costs. */
  price(provider: string, model: string, usage: Usage, estimated = false): CallCost {
    return priceUsage(usage, this.#catalog.facts(`${provider}/${model}`, model)?.prices, model, estimated);
  }
}
