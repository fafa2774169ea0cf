import type { ProviderAdapter } from './adapter.js';
import { UnknownModelError } from './errors.js';
import { quoted } from './excerpt.js';
import type { RouteSpec } from './routing/route-spec.js';
import { compileRoute, type RouteNode, type Target } from './routing/route-tree.js';

/** USD per million tokens, for the `cost` strategy (the full price catalog comes with cost accounting). */
export interface ModelPrice {
  input: number;
  output: number;
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

  constructor(providers: Record<string, ProviderAdapter>, models: Record<string, RouteSpec> = {}, prices: Record<string, ModelPrice> = {}) {
    this.#providers = new Map(Object.entries(providers));
    const context = {
      target: (id: string) => this.#target(id),
      price: (target: { id: string; model: string }) => {
        const price = prices[target.id] ?? prices[target.model];
        return price === undefined ? undefined : price.input + price.output;
      },
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
    if (!target) {
      throw new UnknownModelError(
        `Unknown model ${quoted(model)}. Use a route (${this.routeNames.join(', ') || 'none configured'}) or '<provider>/<model>' with a provider of: ${[...this.#providers.keys()].join(', ')}.`,
      );
    }
    const direct: RouteNode = { kind: 'target', weight: 1, target: { ...target, params: undefined } };
    if (this.#direct.size < DIRECT_CACHE_LIMIT) this.#direct.set(model, direct);
    return direct;
  }

  #target(id: string): Omit<Target, 'params'> | undefined {
    const slash = id.indexOf('/');
    if (slash <= 0 || slash === id.length - 1) return undefined;
    const provider = id.slice(0, slash);
    const adapter = this.#providers.get(provider);
    return adapter ? { id, provider, model: id.slice(slash + 1), adapter } : undefined;
  }
}
