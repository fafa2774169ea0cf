// Gateway CPU per call for a set of cases, measured in interleaved rounds: shared by the per-feature benches.
import { median } from './stats.js';

export interface CaseRow {
  case: string;
  microsPerCall: number;
}

/** CPU microseconds per call over `n` sequential calls. */
async function cpuMicros(n: number, op: (i: number) => Promise<unknown>, first: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) await op(first + i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

export interface Case {
  name: string;
  calls: number;
  op: (i: number) => Promise<unknown>;
}

/**
 * Every case warmed up first, then measured in interleaved rounds (each round runs every case
 * once), so that JIT warm-up and heap growth hit all alike; the median round of each.
 */
export async function measureCases(cases: readonly Case[], rounds = 7): Promise<CaseRow[]> {
  const next = cases.map(() => 0);
  for (const [index, c] of cases.entries()) next[index] = await warm(c);
  const samples: number[][] = cases.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, c] of cases.entries()) {
      samples[index]?.push(await cpuMicros(c.calls, c.op, next[index] as number));
      next[index] = (next[index] as number) + c.calls;
    }
  }
  return cases.map((c, index) => ({ case: c.name, microsPerCall: median(samples[index] ?? []) }));
}

async function warm(c: Case): Promise<number> {
  const calls = Math.min(c.calls, 5000);
  for (let i = 0; i < calls; i++) await c.op(i);
  return calls;
}

