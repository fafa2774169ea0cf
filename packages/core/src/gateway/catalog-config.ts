import { ModelCatalog } from '../catalog/lookup.js';
import { mergeFacts, type ModelFacts } from '../catalog/model-facts.js';
import type { GatewayConfig } from './config.js';

/**
 * The gateway's model catalog: the built-in facts, under the deprecated `routing.prices`
 * (USD per million tokens, turned into USD per token) and `routing.contextWindows`, under
 * `catalog`. Same keys as before: `'<provider>/<model>'` or a model name, matched exactly.
 */
export function catalogFromConfig(config: Pick<GatewayConfig, 'catalog' | 'routing'>): ModelCatalog {
  const entries: Record<string, ModelFacts> = {};
  const add = (key: string, facts: ModelFacts) => {
    entries[key] = mergeFacts(entries[key], facts) ?? facts;
  };
  for (const [key, price] of Object.entries(config.routing?.prices ?? {})) {
    add(key, { prices: { input: price.input / 1_000_000, output: price.output / 1_000_000 } });
  }
  for (const [key, contextWindow] of Object.entries(config.routing?.contextWindows ?? {})) add(key, { contextWindow });
  for (const [key, facts] of Object.entries(config.catalog ?? {})) add(key, facts);
  return new ModelCatalog(entries);
}
