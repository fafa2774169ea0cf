/**
 * What picking a target costs as routes grow: a call through a gateway whose route is a
 * weighted group of N targets (the instant adapter, so only the gateway's work is timed),
 * against the same call to a single direct target.
 */
import { createGateway, type ProviderAdapter } from '@switchyard/core';
import { completionOf } from '@switchyard/testing';

export interface RoutingRow {
  targets: number;
  microsPerCall: number;
  overDirectMicros: number;
}

const completion = completionOf('ok');
const adapter: ProviderAdapter = {
  provider: 'instant',
  capabilities: { stream: true, tools: true, images: true, jsonSchema: true, embeddings: false, reasoning: false },
  chat: async () => completion,
  stream: async function* () {
    yield* [];
  },
};
const messages = [{ role: 'user' as const, content: 'hi' }];

async function microsPerCall(gateway: ReturnType<typeof createGateway>, model: string, n: number): Promise<number> {
  for (let i = 0; i < 5000; i++) await gateway.chat.completions.create({ model, messages });
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) await gateway.chat.completions.create({ model, messages });
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / n);
  }
  return samples.sort((a, b) => a - b)[2] as number;
}

export async function measureRouting(quick: boolean): Promise<RoutingRow[]> {
  const n = quick ? 5000 : 20000;
  const directGateway = createGateway({ providers: { p: adapter } });
  const groups = [1, 10, 100, 1000].map((targets) => {
    const group = Array.from({ length: targets }, (_, i) => ({ target: `p/m${i}`, weight: 1 + (i % 7) }));
    return { targets, gateway: createGateway({ providers: { p: adapter }, models: { group: { loadbalance: group } } }) };
  });
  // Warm every path first, so that JIT warm-up does not flatter whichever is measured last.
  await microsPerCall(directGateway, 'p/m', n);
  for (const { gateway } of groups) await microsPerCall(gateway, 'group', n);
  const measured: Array<{ targets: number; micros: number }> = [];
  for (const { targets, gateway } of groups) measured.push({ targets, micros: await microsPerCall(gateway, 'group', n) });
  const direct = await microsPerCall(directGateway, 'p/m', n);
  return measured.map(({ targets, micros }) => ({ targets, microsPerCall: micros, overDirectMicros: micros - direct }));
}
