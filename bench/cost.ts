/**
 * What cost accounting costs per call: pricing one usage against its catalog prices (cached
 * reads, cache writes, reasoning, a long-input tier), alone and through the gateway's per-target
 * lookup. It is always on, so this is also what every call pays for it.
 */
import { CostCalculator } from '../packages/core/src/cost/cost-calculator.js';
import { priceUsage } from '../packages/core/src/cost/price-usage.js';
import { ModelCatalog } from '../packages/core/src/catalog/lookup.js';
import type { Usage } from '../packages/core/src/adapter/usage.js';
import { median } from './stats.js';

export interface CostRow {
  case: string;
  microsPerCall: number;
}

const usage: Usage = {
  inputTokens: 250_000,
  outputTokens: 3000,
  totalTokens: 253_000,
  cachedInputTokens: 50_000,
  cacheWriteInputTokens: 1000,
  cacheWrite1hInputTokens: 600,
  reasoningTokens: 2000,
};
const prices = {
  input: 1.25e-6,
  output: 10e-6,
  cacheRead: 0.31e-6,
  cacheWrite5m: 1.5e-6,
  cacheWrite1h: 2.5e-6,
  tiers: [{ aboveInputTokens: 200_000, prices: { input: 2.5e-6, output: 15e-6, cacheRead: 0.625e-6 } }],
};

function cpuMicros(n: number, op: () => unknown): number {
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) op();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

export function measureCost(quick: boolean): CostRow[] {
  const n = quick ? 200_000 : 1_000_000;
  const calculator = new CostCalculator(new ModelCatalog({ 'gemini-2.5-pro': { prices } }));
  let sink = 0;
  const direct = () => (sink += priceUsage(usage, prices, 'gemini-2.5-pro').usd ?? 0);
  const looked = () => (sink += calculator.price('gemini', 'gemini-2.5-pro', usage).usd ?? 0);
  cpuMicros(n / 10, direct);
  cpuMicros(n / 10, looked);
  const rounds = (op: () => unknown) => median(Array.from({ length: 5 }, () => cpuMicros(n, op)));
  const rows = [
    { case: 'priceUsage (tiered, cached, cache writes, reasoning)', microsPerCall: rounds(direct) },
    { case: 'CostCalculator.price (catalog lookup included)', microsPerCall: rounds(looked) },
  ];
  if (sink < 0) throw new Error('unreachable: keeps the work from being optimised away');
  return rows;
}
