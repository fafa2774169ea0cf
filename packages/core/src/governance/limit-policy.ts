// A rate-limit rule compiled once: its windows, and the counters a call counts against.
import { storeKey } from '../store/store-keys.js';
import type { RuleSubject } from '../rules/rule-subject.js';
import { reservedAmount, type Charge, type ChargeAmounts, type GovernedRule, type Measure, type OnRefusal } from './charge.js';
import type { LimitRule, LimitWindows, PartitionBy } from './governance-options.js';
import { MAX_CACHED_PARTITIONS, partitions as partitionsOf } from './partition.js';

const WINDOWS = [
  ['perSecond', 1_000, 'second'],
  ['perMinute', 60_000, 'minute'],
  ['perHour', 3_600_000, 'hour'],
  ['perDay', 86_400_000, 'day'],
] as const;

const DEFAULT_MAX_WAIT_MS = 10_000;

interface Window {
  readonly measure: Measure;
  readonly windowMs: number;
  readonly max: number;
  readonly label: string;
}

/** The counters of one limit: a fixed window per `per*`, aligned to the epoch so every process agrees on it. */
export class LimitPolicy implements GovernedRule {
  readonly name: string;
  readonly kind = 'limit';
  readonly onRefusal: OnRefusal;
  readonly maxWaitMs: number;
  readonly downgradeTo = undefined;
  readonly perTarget: boolean;
  readonly alerts: readonly number[] = [];
  readonly unit: 'requests' | 'tokens';
  readonly #by: PartitionBy;
  readonly #windows: readonly Window[];
  /** A scope's own limit counts on the scope's id, whatever the call. */
  readonly #shared: string | undefined;
  /** Each partition's counter keys without the window start (escaping is the costly part of a key), most recent partitions kept. */
  readonly #keys = new Map<string, readonly string[]>();

  constructor(rule: LimitRule, perTarget: boolean, shared?: string) {
    this.name = rule.name;
    this.onRefusal = rule.mode ?? 'reject';
    this.maxWaitMs = rule.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.#by = rule.by ?? 'shared';
    this.perTarget = perTarget || this.#by === 'model';
    this.#shared = shared;
    const tokens = rule.tokens?.count ?? 'total';
    const tokenWord = tokens === 'total' ? 'tokens' : `${tokens} tokens`;
    this.#windows = [...windowsOf(rule.requests, 'requests', 'requests'), ...windowsOf(rule.tokens, tokens, tokenWord)];
    this.unit = rule.requests ? 'requests' : 'tokens';
  }

  charges(subject: RuleSubject, amounts: ChargeAmounts, now: number): Charge[] {
    const charges: Charge[] = [];
    for (const partition of partitionsOf(this.#by, subject, this.#shared)) {
      const prefixes = this.#prefixes(partition);
      for (let i = 0; i < this.#windows.length; i++) {
        const window = this.#windows[i] as Window;
        // What `windowKey` makes, from a prefix escaped once per partition.
        const start = Math.floor(now / window.windowMs) * window.windowMs;
        charges.push({
          rule: this,
          key: `${prefixes[i] as string}:${start}`,
          partition,
          limit: window.max,
          ttlMs: start + window.windowMs - now,
          windowMs: window.windowMs,
          measure: window.measure,
          reserved: reservedAmount(window.measure, amounts),
          label: window.label,
          reservedKey: undefined,
          period: undefined,
          periodEndsAt: undefined,
        });
      }
    }
    return charges;
  }

  rekey(charge: Charge, now: number): Charge {
    const windowMs = charge.windowMs as number;
    const start = Math.floor(now / windowMs) * windowMs;
    // The key is `<prefix>:<window start>`; the prefix escapes every ':' of its parts.
    const key = `${charge.key.slice(0, charge.key.lastIndexOf(':'))}:${start}`;
    return { ...charge, key, ttlMs: start + windowMs - now };
  }

  #prefixes(partition: string): readonly string[] {
    let prefixes = this.#keys.get(partition);
    if (prefixes) return prefixes;
    prefixes = this.#windows.map((window) => storeKey('switchyard', 'limit', this.name, partition, window.windowMs));
    if (this.#keys.size >= MAX_CACHED_PARTITIONS) this.#keys.clear();
    this.#keys.set(partition, prefixes);
    return prefixes;
  }
}


function windowsOf(windows: LimitWindows | undefined, measure: Measure, word: string): Window[] {
  if (!windows) return [];
  return WINDOWS.flatMap(([key, windowMs, unit]) => {
    const max = windows[key];
    return max === undefined ? [] : [{ measure, windowMs, max, label: `${max} ${max === 1 ? word.replace(/s$/, '') : word} per ${unit}` }];
  });
}
