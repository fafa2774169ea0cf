import { BUILT_IN_MODELS, type BuiltInModel } from './built-in-models.js';
import { mergeFacts, type ModelFacts } from './model-facts.js';

/**
 * A version suffix that names the same model as the name without it: a date (`-20250929`,
 * `-2024-08-06`), a three-digit revision (`-001`) or `-latest`.
 */
const VERSION_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2}|\d{3}|latest)$/;

const MERGED_CACHE_LIMIT = 1024;

const byName: ReadonlyMap<string, BuiltInModel> = new Map(BUILT_IN_MODELS.map((entry) => [entry.name, entry]));

/**
 * The built-in entry for a model name, or `undefined`. The rule, in order:
 * 1. the name itself (`gpt-4o`);
 * 2. the name without a version suffix (`gpt-4o-2024-08-06` → `gpt-4o`,
 *    `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`);
 * 3. the longest family entry the name continues at a `-` (`claude-sonnet-4-6` → the
 *    `claude-sonnet-4` family).
 * Anything else does not match: `gpt-4o-mini` is not `gpt-4o`, `gpt-4.1-mini` is not `gpt-4.1`.
 */
export function builtInEntry(model: string): BuiltInModel | undefined {
  const exact = byName.get(model) ?? byName.get(model.replace(VERSION_SUFFIX, ''));
  if (exact) return exact;
  for (let end = model.lastIndexOf('-'); end > 0; end = model.lastIndexOf('-', end - 1)) {
    const entry = byName.get(model.slice(0, end));
    if (entry?.family) return entry;
  }
  return undefined;
}

/** The built-in facts for a model name (see `builtInEntry` for the matching rule). */
export function modelFacts(model: string): ModelFacts | undefined {
  return builtInEntry(model)?.facts;
}

/**
 * The catalog one gateway uses: the built-in facts under the config's entries. Config keys
 * match exactly or without a version suffix, `'<provider>/<model>'` over the model name over the
 * built-in entry, field by field.
 */
export class ModelCatalog {
  readonly #entries: ReadonlyMap<string, ModelFacts>;
  /** Merged facts by target id, bounded so that unbounded direct targets cannot grow memory. */
  readonly #merged = new Map<string, ModelFacts | undefined>();

  constructor(entries: Readonly<Record<string, ModelFacts>> = {}) {
    this.#entries = new Map(Object.entries(entries));
  }

  /** The facts for a target: `id` is `'<provider>/<model>'`, `model` the provider's model name. */
  facts(id: string, model: string): ModelFacts | undefined {
    const key = `${id}\n${model}`;
    if (this.#merged.has(key)) return this.#merged.get(key);
    // Config entries match exactly, or without a version suffix (a price set for
    // `claude-sonnet-4-5` applies to `claude-sonnet-4-5-20250929`); the exact key wins.
    const entries = this.#entries;
    const undated = model.replace(VERSION_SUFFIX, '');
    const byModel = entries.get(model) ?? (undated === model ? undefined : entries.get(undated));
    const byId = entries.get(id) ?? (undated === model ? undefined : entries.get(id.slice(0, id.length - model.length) + undated));
    const facts = mergeFacts(mergeFacts(modelFacts(model), byModel), byId);
    if (this.#merged.size < MERGED_CACHE_LIMIT) this.#merged.set(key, facts);
    return facts;
  }
}
