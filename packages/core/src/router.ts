import type { ProviderAdapter } from './adapter.js';
import { UnknownModelError } from './errors.js';

/** One deployment the gateway can call: a provider key and that provider's model name. */
export interface Target {
  /** `'<provider>/<model>'`. */
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly adapter: ProviderAdapter;
}

/** The targets to try for one call, in order. */
export interface RoutePlan {
  /** The `model` the caller asked for. */
  readonly route: string;
  readonly targets: readonly Target[];
}

/** Direct targets are parsed once and remembered, up to this many distinct model strings. */
const DIRECT_PLAN_CACHE_LIMIT = 1024;

/**
 * Resolves a request's `model` to a plan in O(1): configured routes are resolved at
 * construction, direct `'<provider>/<model>'` targets are split on the first `/`.
 */
export class Router {
  readonly #providers: ReadonlyMap<string, ProviderAdapter>;
  readonly #routes = new Map<string, RoutePlan>();
  readonly #direct = new Map<string, RoutePlan>();

  constructor(providers: Record<string, ProviderAdapter>, models: Record<string, string> = {}) {
    this.#providers = new Map(Object.entries(providers));
    for (const name of Object.keys(models)) {
      let target = models[name] as string;
      while (Object.hasOwn(models, target)) target = models[target] as string;
      const plan = this.#parseDirect(target);
      if (!plan) throw new UnknownModelError(`Route '${name}' points at '${target}', which is not a known target.`);
      this.#routes.set(name, { route: name, targets: plan.targets });
    }
  }

  get routeNames(): string[] {
    return [...this.#routes.keys()];
  }

  resolve(model: string): RoutePlan {
    const plan = this.#routes.get(model) ?? this.#direct.get(model) ?? this.#parseDirect(model);
    if (plan) return plan;
    throw new UnknownModelError(
      `Unknown model '${model}'. Use a route (${this.routeNames.join(', ') || 'none configured'}) or '<provider>/<model>' with a provider of: ${[...this.#providers.keys()].join(', ')}.`,
    );
  }

  #parseDirect(model: string): RoutePlan | undefined {
    const slash = model.indexOf('/');
    if (slash <= 0 || slash === model.length - 1) return undefined;
    const provider = model.slice(0, slash);
    const adapter = this.#providers.get(provider);
    if (!adapter) return undefined;
    const plan: RoutePlan = {
      route: model,
      targets: [{ id: model, provider, model: model.slice(slash + 1), adapter }],
    };
    if (this.#direct.size < DIRECT_PLAN_CACHE_LIMIT) this.#direct.set(model, plan);
    return plan;
  }
}
