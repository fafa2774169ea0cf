export interface ScenarioStats {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** Runs `task` `total` times with at most `concurrency` in flight; measures latency, wall time and CPU. */
export async function measure(task: () => Promise<void>, total: number, concurrency: number): Promise<ScenarioStats> {
  const latencies: number[] = [];
  let started = 0;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  async function worker(): Promise<void> {
    while (started < total) {
      started++;
      const t0 = performance.now();
      await task();
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    requests: total,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    requestsPerSecond: (total / wallMs) * 1000,
    cpuMicrosPerRequest: (cpu.user + cpu.system) / total,
  };
}
