import type { ProviderAdapter } from '../adapter/adapter.js';
import { ModelCatalog } from '../catalog/lookup.js';
import { UnknownModelError } from '../errors/errors.js';
import { quoted } from '../errors/excerpt.js';
import { editDistance } from '../errors/edit-distance.js';
import type { RouteSpec } from './route-spec.js';
import { compileRoute, type RouteNode, type Target } from './route-tree.js';

/**
 * USD per million tokens, for the `cost` strategy.
 * @deprecated Give prices in the model catalog (`catalog: { model: { prices } }`, USD per token); `routing.prices` feeds it.
 */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * What the `cost` strategy orders by: input + output price per token, or `undefined` (most
 * expensive) when either is unknown. Rounded to 12 significant digits, so that prices equal per
 * million tokens (`routing.prices`) stay equal per token.
 */
export function costKey(prices: { input?: number | undefined; output?: number | undefined } | undefined): number | undefined {
  if (prices?.input === undefined || prices.output === undefined) return undefined;
  return Number((prices.input + prices.output).toPrecision(12));
}

/** Direct targets are parsed once and remembered, up to this many distinct model strings. */
const DIRECT_CACHE_LIMIT = 1024;

/**
 * Resolves a request's `model` to a compiled route in O(1): configured routes are compiled
 * at construction, direct `'<provider>/<model>'` targets are split on the first `/`.
 */
export class Router {
  readonly #providers: ReadonlyMap<string, ProviderAdapter>;
  readonly #routes = new Map<string, RouteNode>();
  readonly #direct = new Map<string, RouteNode>();

  readonly #regions: Readonly<Record<string, string>>;

  /** `regions`: where each provider key or `'<provider>/<model>'` target runs (residency); a target's own entry wins. */
  constructor(providers: Record<string, ProviderAdapter>, models: Record<string, RouteSpec> = {}, catalog = new ModelCatalog(), regions: Readonly<Record<string, string>> = {}) {
    this.#providers = new Map(Object.entries(providers));
    this.#regions = regions;
    const context = {
      target: (id: string) => this.#target(id),
      // Looked up once per target, when its routes compile.
      price: (target: { id: string; model: string }) => costKey(catalog.facts(target.id, target.model)?.prices),

      route: (name: string): RouteNode | undefined => {
        if (!Object.hasOwn(models, name)) return undefined;
        let node = this.#routes.get(name);
        if (!node) this.#routes.set(name, (node = compileRoute(models[name] as RouteSpec, context)));
        return node;
      },
    };
    for (const name of Object.keys(models)) context.route(name);
  }

  get routeNames(): string[] {
    return [...this.#routes.keys()];
  }

  resolve(model: string): RouteNode {
    const node = this.#routes.get(model) ?? this.#direct.get(model);
    if (node) return node;
    const target = this.#target(model);
    if (!target) throw new UnknownModelError(this.#unknownModel(model));
    const direct: RouteNode = { kind: 'target', weight: 1, target: { ...target, params: undefined } };
    if (this.#direct.size < DIRECT_CACHE_LIMIT) this.#direct.set(model, direct);
    return direct;
  }

  /** Why `model` resolves to nothing, naming the provider or route it was probably meant to be. */
  #unknownModel(model: string): string {
    const providers = [...this.#providers.keys()];
    const routes = this.routeNames;
    const slash = model.indexOf('/');
    const provider = slash > 0 ? model.slice(0, slash) : undefined;
    let why = '';
    if (provider !== undefined && !this.#providers.has(provider)) {
      const near = closest(provider, providers);
      why = ` ${quoted(provider)} is not a configured provider${near === undefined ? '.' : `; did you mean '${near}'?`}`;
    } else if (provider === undefined) {
      const near = closest(model, routes);
      if (near !== undefined) why = ` No route has that name; did you mean '${near}'?`;
    }
    return `Unknown model ${quoted(model)}.${why} Use a route (${routes.join(', ') || 'none configured'}) or '<provider>/<model>' with a provider of: ${providers.join(', ')}.`;
  }

  #target(id: string): Omit<Target, 'params'> | undefined {
    const slash = id.indexOf('/');
    if (slash <= 0 || slash === id.length - 1) return undefined;
    const provider = id.slice(0, slash);
    const adapter = this.#providers.get(provider);
    if (!adapter) return undefined;
    const region = Object.hasOwn(this.#regions, id) ? this.#regions[id] : Object.hasOwn(this.#regions, provider) ? this.#regions[provider] : undefined;
    return { id, provider, model: id.slice(slash + 1), adapter, region };
  }
}

/**
 * The candidate nearest to `name` by edit distance (case-insensitive), if it is near enough
 * to be a typo: at most a third of the candidate's length apart (at least 1), and not every
 * character. Candidates whose length alone rules them out cost nothing, so a long name is cheap.
 */
function closest(name: string, candidates: readonly string[]): string | undefined {
  const typed = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const limit = Math.min(Math.max(1, Math.floor(candidate.length / 3)), candidate.length - 1, bestDistance - 1);
    if (limit < 0 || Math.abs(candidate.length - typed.length) > limit) continue;
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance <= limit) [best, bestDistance] = [candidate, distance];
  }
  return best;
}
