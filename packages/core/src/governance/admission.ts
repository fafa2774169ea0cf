// Reserve-then-settle: one atomic store decision admits a call against every counter it counts against, its end settles them.
import { BudgetExceededError, RateLimitedError } from '../errors/governance-errors.js';
import type { GatewayError } from '../errors/errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { Decision, Store, StoreCheck, WindowCheck } from '../store/store.js';
import { storeKey } from '../store/store-keys.js';
import type { Charge, Measure } from './charge.js';
import { LimitQueue } from './limit-queue.js';

/** The limit of the counters that only record (what calls in flight reserved): never in the way. */
const UNLIMITED = Number.MAX_VALUE;
/** Alert markers remembered locally (to skip asking the store again), at most this many. */
const MAX_REMEMBERED_ALERTS = 10_000;
/** Relative slack when judging whether spending reached an alert threshold. */
const ALERT_TOLERANCE = 1e-9;

export interface AdmissionDeps {
  readonly store: Store;
  readonly events: EventBus;
  /** The wall clock windows and periods follow. */
  readonly now: () => number;
}

/** Who is asking, for events and errors. */
export interface AdmissionCall {
  readonly requestId: string;
  readonly signal: AbortSignal | undefined;
}

export type AdmissionOutcome =
  /** Every enforced counter had room: `applied` hold the reservations to settle. */
  | { readonly kind: 'admitted'; readonly applied: readonly Charge[] }
  | { readonly kind: 'refused'; readonly error: GatewayError }
  /** A budget with `downgrade` has no room: admit the call on `route` instead, without `charge`'s reservation. */
  | { readonly kind: 'downgrade'; readonly charge: Charge; readonly route: string };

/**
 * Admits calls against their charges and settles them at the end. The enforced charges go into
 * one `decide`: all reserved or none, atomically, so concurrent calls cannot together pass a
 * limit by more than what is reserved in flight. Audit-only charges are then decided the same
 * way; when one had no room, each such is reported (with what was committed before the call,
 * as enforcing would have found it) and all are counted anyway, with `force`.
 */
export class Admission {
  readonly #deps: AdmissionDeps;
  readonly #alerted = new Set<string>();
  /** The queue-mode lines, made by the first call that waits (bottleneck keeps a timer per group). */
  #lines: LimitQueue | undefined;

  constructor(deps: AdmissionDeps) {
    this.#deps = deps;
  }

  async admit(charges: readonly Charge[], call: AdmissionCall): Promise<AdmissionOutcome> {
    let enforced: Charge[] = [];
    let audited: Charge[] | undefined;
    for (const charge of charges) {
      if (charge.rule.onRefusal === 'audit') (audited ??= []).push(charge);
      else enforced.push(charge);
    }
    if (enforced.length > 0) {
      // Calls already waiting for a queue rule's counter go first: a newcomer joins the line
      // behind them instead of taking the room they wait for.
      const waiting = this.#waiting(enforced);
      const decision = waiting ? undefined : await this.#deps.store.decide(reserveChecks(enforced));
      if (!decision?.allowed) {
        const outcome = decision ? await this.#refused(enforced, refusedCharges(enforced, decision), decision.retryAfterMs, call) : await this.#queue(enforced, [{ charge: waiting as Charge, value: Number.NaN, retryAfterMs: null }], call);
        if (outcome.kind !== 'admitted') return outcome;
        enforced = [...outcome.applied];
        // The call waited in a queue: its audited counters are those of the window it was admitted in.
        if (audited) {
          const now = this.#deps.now();
          audited = audited.map((charge) => charge.rule.rekey(charge, now));
        }
      }
    }
    if (!audited) return { kind: 'admitted', applied: enforced };
    const checks = reserveChecks(audited);
    const decision = await this.#deps.store.decide(checks);
    if (!decision.allowed) {
      // Reported as enforcing would have found them (what was committed before this call), then counted all the same.
      for (const { charge, value, retryAfterMs } of refusedCharges(audited, decision)) this.#emitRefusal(charge, 'audit', value, retryAfterMs, call);
      await this.#deps.store.decide(checks, { force: true });
    }
    return { kind: 'admitted', applied: [...enforced, ...audited] };
  }

  /**
   * Settles a call's reservations to what it used (`used` per measure): the difference goes
   * onto each counter with `force` (the use already happened), budgets' reserved counters give
   * their reservation back, and a budget whose spending passed an alert threshold says so.
   */
  settle(charges: readonly Charge[], used: (measure: Measure) => number, call: AdmissionCall): Promise<void> {
    const checks: WindowCheck[] = [];
    const budgets: Array<{ charge: Charge; at: number }> = [];
    for (const charge of charges) {
      if (charge.measure === 'requests') continue;
      const delta = used(charge.measure) - charge.reserved;
      if (charge.reservedKey === undefined) {
        if (delta !== 0) checks.push(windowCheck(charge.key, delta, charge.limit, charge.ttlMs));
        continue;
      }
      // A budget: its committed counter is read back (a zero cost only reads) for the alerts, at
      // `at` in the decision (token limits settled in the same decision come before or between).
      budgets.push({ charge, at: checks.length });
      checks.push(windowCheck(charge.key, delta, charge.limit, charge.ttlMs), windowCheck(charge.reservedKey, -charge.reserved, UNLIMITED, charge.ttlMs));
    }
    if (checks.length === 0) return Promise.resolve();
    return this.#deps.store.decide(checks, { force: true }).then((decision) => (budgets.length > 0 ? this.#alerts(budgets, decision, call) : undefined));
  }

  /** Some enforced charge had no room (`refused`, room again in `retryAfterMs`): wait in line (queue mode), downgrade, or refuse. */
  async #refused(enforced: readonly Charge[], refused: readonly Refused[], retryAfterMs: number | null, call: AdmissionCall): Promise<AdmissionOutcome> {
    const first = refused[0] as Refused;
    const downgrade = refused.find(({ charge }) => charge.rule.onRefusal === 'downgrade');
    if (downgrade && downgrade.charge.rule.downgradeTo !== undefined) {
      this.#emitRefusal(downgrade.charge, 'downgrade', downgrade.value, null, call);
      return { kind: 'downgrade', charge: downgrade.charge, route: downgrade.charge.rule.downgradeTo };
    }
    // Queue only when every refusing rule queues and room is due within the strictest rule's wait.
    const queued = refused.every(({ charge }) => charge.rule.onRefusal === 'queue');
    if (!queued || retryAfterMs === null || retryAfterMs > Math.min(...refused.map(({ charge }) => charge.rule.maxWaitMs))) {
      this.#emitRefusal(first.charge, first.charge.rule.onRefusal === 'block' ? 'block' : 'reject', first.value, first.retryAfterMs, call);
      // The wait that binds: the longest of the refused windows (`null` when one never fits).
      return { kind: 'refused', error: refusalError(first.charge, first.value, retryAfterMs) };
    }
    return this.#queue(enforced, refused, call);
  }

  /** Waits in line behind earlier waiters on the first refusing counter, for as long as the strictest rule allows. */
  async #queue(enforced: readonly Charge[], refused: readonly Refused[], call: AdmissionCall): Promise<AdmissionOutcome> {
    const first = refused[0] as Refused;
    const now = this.#deps.now;
    const deadline = now() + Math.min(...refused.map(({ charge }) => charge.rule.maxWaitMs));
    this.#emitRefusal(first.charge, 'queue', first.value, first.retryAfterMs, call);
    const store = this.#deps.store;
    let last = first;
    const applied = await (this.#lines ??= new LimitQueue()).wait<readonly Charge[]>(
      queueKey(first.charge),
      deadline,
      now,
      call.signal,
      async () => {
        // Each try counts in the window it is made in: the one the call was refused in may have ended.
        const at = now();
        const current = enforced.map((charge) => charge.rule.rekey(charge, at));
        const retried = await store.decide(reserveChecks(current));
        if (retried.allowed) return { admitted: current };
        const still = refusedCharges(current, retried);
        last = still[0] ?? last;
        // A counter of another mode has filled meanwhile: waiting no longer helps.
        if (!still.every(({ charge }) => charge.rule.onRefusal === 'queue')) return { retryAfterMs: null };
        return { retryAfterMs: retried.retryAfterMs };
      },
      (admitted) => void this.release(admitted, call).catch(() => undefined),
    );
    if (applied) return { kind: 'admitted', applied };
    this.#emitRefusal(last.charge, 'reject', last.value, last.retryAfterMs, call);
    return { kind: 'refused', error: refusalError(last.charge, last.value, last.retryAfterMs, true) };
  }

  /** A queue-rule charge whose line has calls waiting, if the queue exists. */
  #waiting(enforced: readonly Charge[]): Charge | undefined {
    const queue = this.#lines;
    if (!queue || queue.size === 0) return undefined;
    return enforced.find((charge) => charge.rule.onRefusal === 'queue' && queue.isWaiting(queueKey(charge)));
  }

  /** The error for a charge that had no room, when admission's own outcome is not the answer (a downgrade that cannot be taken). */
  refusal(charge: Charge): GatewayError {
    return refusalError(charge, charge.limit, null);
  }

  /** Gives back everything `charges` reserved: for a call admitted after it stopped waiting. */
  release(charges: readonly Charge[], call: AdmissionCall): Promise<void> {
    return this.settle(
      charges.filter((charge) => charge.measure !== 'requests'),
      () => 0,
      call,
    ).then(() => {
      const requests = charges.filter((charge) => charge.measure === 'requests');
      if (requests.length === 0) return;
      return this.#deps.store.decide(requests.map((charge) => windowCheck(charge.key, -1, charge.limit, charge.ttlMs)), { force: true }).then(() => undefined);
    });
  }

  /** `budgets`: each settled budget charge, and where its committed counter's check is in `decision` (its reserved counter's next). */
  async #alerts(budgets: ReadonlyArray<{ charge: Charge; at: number }>, decision: Decision, call: AdmissionCall): Promise<void> {
    for (const { charge, at } of budgets) {
      const committed = decision.results[at]?.value ?? 0;
      const reserved = decision.results[at + 1]?.value ?? 0;
      const spent = committed - reserved;
      for (const threshold of charge.rule.alerts) {
        // A hair under the threshold counts: USD sums carry floating-point error (0.0025 + 0.0025 < 0.005).
        if (spent < threshold * charge.limit * (1 - ALERT_TOLERANCE)) break;
        const marker = storeKey(charge.key, 'alert', threshold);
        if (this.#alerted.has(marker)) continue;
        // Once per threshold and period across every process sharing the store: the first to set the marker tells.
        const first = await this.#deps.store.set(marker, '1', { ifAbsent: true, ...(charge.ttlMs === undefined ? {} : { ttlMs: charge.ttlMs }) });
        if (this.#alerted.size >= MAX_REMEMBERED_ALERTS) this.#alerted.clear();
        this.#alerted.add(marker);
        if (!first || !this.#deps.events.wants('budget.threshold')) continue;
        this.#deps.events.emit({
          type: 'budget.threshold',
          requestId: call.requestId,
          timestamp: Date.now(),
          rule: charge.rule.name,
          key: charge.partition,
          threshold,
          unit: charge.rule.unit === 'usd' ? 'usd' : 'tokens',
          limit: charge.limit,
          spent,
          period: charge.period ?? 'total',
        });
      }
    }
  }

  #emitRefusal(charge: Charge, action: 'reject' | 'queue' | 'audit' | 'block' | 'downgrade', value: number, retryAfterMs: number | null, call: AdmissionCall): void {
    const events = this.#deps.events;
    const base = { requestId: call.requestId, timestamp: Date.now(), rule: charge.rule.name, key: charge.partition };
    if (charge.rule.kind === 'limit') {
      if (!events.wants('limit.exceeded') || action === 'block' || action === 'downgrade') return;
      events.emit({ type: 'limit.exceeded', ...base, action, limit: charge.label, retryAfterMs: retryAfterMs ?? undefined });
      return;
    }
    if (!events.wants('budget.exceeded') || action === 'reject' || action === 'queue') return;
    const downgradeTo = action === 'downgrade' ? charge.rule.downgradeTo : undefined;
    events.emit({
      type: 'budget.exceeded',
      ...base,
      action,
      unit: charge.rule.unit === 'usd' ? 'usd' : 'tokens',
      limit: charge.limit,
      committed: value,
      ...(downgradeTo === undefined ? {} : { downgradeTo }),
    });
  }
}

type Refused = { readonly charge: Charge; readonly value: number; readonly retryAfterMs: number | null };

/** The line a queue rule's waiters stand in: one per rule and partition. */
function queueKey(charge: Charge): string {
  return `${charge.rule.name}\u0000${charge.partition}`;
}

function windowCheck(key: string, cost: number, limit: number, ttlMs: number | undefined): WindowCheck {
  return ttlMs === undefined ? { kind: 'window', key, cost, limit } : { kind: 'window', key, cost, limit, ttlMs };
}

/** Each charge's counter, and for a budget its reserved counter next to it. */
function reserveChecks(charges: readonly Charge[]): StoreCheck[] {
  const checks: StoreCheck[] = [];
  for (const charge of charges) {
    checks.push(windowCheck(charge.key, charge.reserved, charge.limit, charge.ttlMs));
    if (charge.reservedKey !== undefined) checks.push(windowCheck(charge.reservedKey, charge.reserved, UNLIMITED, charge.ttlMs));
  }
  return checks;
}

/** The charges whose counters had no room in `decision` (made by `reserveChecks(charges)`), with where they stood. */
function refusedCharges(charges: readonly Charge[], decision: Decision): Refused[] {
  const refused: Refused[] = [];
  let index = 0;
  for (const charge of charges) {
    const result = decision.results[index];
    index += charge.reservedKey === undefined ? 1 : 2;
    if (result && !result.allowed) refused.push({ charge, value: result.value, retryAfterMs: result.retryAfterMs });
  }
  return refused;
}

function refusalError(charge: Charge, value: number, retryAfterMs: number | null, waited = false): GatewayError {
  const who = charge.partition === '*' ? '' : ` for '${charge.partition}'`;
  if (charge.rule.kind === 'limit') {
    const retry = retryAfterMs === null ? ' The call alone is over the limit: lower max_tokens or the prompt, or raise the limit.' : ` Retry in ${Math.ceil(retryAfterMs)} ms.`;
    const why = waited ? `had no room within ${charge.rule.maxWaitMs} ms of waiting` : 'has no room for this call';
    return new RateLimitedError(charge.rule.name, charge.label, retryAfterMs ?? undefined, `Rate limit '${charge.rule.name}' (${charge.label})${who} ${why}; nothing was sent.${retry}`);
  }
  const unit = charge.rule.unit === 'usd' ? 'usd' : 'tokens';
  const amount = (n: number) => (unit === 'usd' ? `$${round(n)}` : `${Math.round(n)} tokens`);
  const ends = charge.periodEndsAt === undefined ? '' : ` It starts again at ${new Date(charge.periodEndsAt).toISOString()}.`;
  return new BudgetExceededError(
    charge.rule.name,
    { unit, limit: charge.limit, committed: value, periodEndsAt: charge.periodEndsAt },
    `Budget '${charge.rule.name}' (${charge.label})${who} has no room for this call: ${amount(value)} spent or reserved of ${amount(charge.limit)}, and the call reserves ${amount(charge.reserved)}; nothing was sent.${ends}`,
  );
}

function round(usd: number): string {
  return usd >= 1 ? usd.toFixed(2) : usd.toPrecision(3);
}
