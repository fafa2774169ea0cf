/**
 * The semantic cache's vector index on its own: build time, search latency, recall@1 against
 * exact (brute-force) search in the same run, and memory, at 1k, 10k and 100k entries of
 * 1,536 dimensions (the size of `text-embedding-3-small`).
 *
 * Entries are uniform random unit vectors: no clusters for the index to exploit, the hardest
 * case. The main queries are near-duplicates of stored entries (cosine 0.80 to 0.98 with one,
 * spread evenly), since a cache is asked paraphrases of what it holds; recall on uniformly
 * random queries is reported too, though there the exact nearest entry is only a few
 * hundredths more similar than the next thousand and far below any cache threshold.
 *
 *   npx tsx --tsconfig=bench/tsconfig.json -e "import('./bench/vector-index.ts').then(m => m.measureVectorIndex(false)).then(r => console.table(r))"
 *
 * (`--tsconfig=`, with the equals sign: tsx 4.23 given `--tsconfig bench/tsconfig.json -e ...`
 * runs nothing and exits 0.) About seven and a half minutes on 2 cores: the 100k row builds
 * for two minutes, and its brute-force answers and the random data take most of the rest.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createVectorIndex, type VectorIndexOptions } from '../packages/core/src/cache/vector-index.js';
import { gaussian, seededRandom, type RandomSource } from '../packages/core/src/cache/vector-random.js';
import { dot } from '../packages/core/src/cache/vector-slab.js';
import { percentile } from './stats.js';

export interface VectorIndexRow {
  entries: number;
  dimensions: number;
  /** Search latency over the near-duplicate queries. */
  p50Ms: number;
  p99Ms: number;
  /** Recall@1 of the near-duplicate queries against brute force. */
  recall: number;
  /** Recall@1 of uniformly random queries against brute force. */
  randomRecall: number;
  randomP50Ms: number;
  buildMs: number;
  /** Memory per entry: vectors, sketches, links and flags (typed arrays), ids and the id map (heap). */
  bytesPerEntry: number;
}

const DIMENSIONS = 1536;

export async function measureVectorIndex(quick: boolean): Promise<VectorIndexRow[]> {
  const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const rows: VectorIndexRow[] = [];
  for (const entries of sizes) {
    const queries = quick ? 200 : entries >= 100_000 ? 500 : 1_000;
    rows.push(measureSize(entries, queries, Math.ceil(queries / 2)));
  }
  return rows;
}

/** One row; `options` tunes the index (for trying parameters by hand). */
export function measureSize(entries: number, nearQueries: number, randomQueries: number, options: Partial<VectorIndexOptions> = {}): VectorIndexRow {
  const random = seededRandom(entries);
  const data = new Float32Array(entries * DIMENSIONS);
  for (let i = 0; i < entries; i++) data.set(randomUnit(random), i * DIMENSIONS);

  const heapBefore = heapBytes();
  const index = createVectorIndex({ seed: 7, ...options, dimensions: DIMENSIONS });
  const started = performance.now();
  for (let i = 0; i < entries; i++) index.add(`entry-${i}`, data.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS));
  const buildMs = performance.now() - started;
  // Typed arrays as the index counts them (the process's arrayBuffers figure lags behind the
  // collector), plus the JavaScript heap the build left: ids, the id map, upper-layer links.
  const bytesPerEntry = (index.stats().bytes + heapBytes() - heapBefore) / entries;

  const near = Array.from({ length: nearQueries }, (_, q) => {
    const source = Math.floor(random() * entries);
    return nearDuplicate(data.subarray(source * DIMENSIONS, (source + 1) * DIMENSIONS), 0.8 + (0.18 * q) / Math.max(1, nearQueries - 1), random);
  });
  const uniform = Array.from({ length: randomQueries }, () => randomUnit(random));

  // Warm the search path first, so that JIT warm-up does not land in the percentiles.
  for (let i = 0; i < 50; i++) index.search(randomUnit(random));
  const nearRun = run(index, near, data, entries);
  const randomRun = run(index, uniform, data, entries);
  return {
    entries,
    dimensions: DIMENSIONS,
    p50Ms: round(nearRun.p50Ms),
    p99Ms: round(nearRun.p99Ms),
    recall: nearRun.recall,
    randomRecall: randomRun.recall,
    randomP50Ms: round(randomRun.p50Ms),
    buildMs: Math.round(buildMs),
    bytesPerEntry: Math.round(bytesPerEntry),
  };
}

function run(index: ReturnType<typeof createVectorIndex>, queries: readonly Float32Array[], data: Float32Array, entries: number): { p50Ms: number; p99Ms: number; recall: number } {
  const latencies: number[] = [];
  const answers: string[] = [];
  for (const query of queries) {
    const t0 = performance.now();
    const [match] = index.search(query);
    latencies.push(performance.now() - t0);
    answers.push(match?.id ?? '');
  }
  let hits = 0;
  queries.forEach((query, q) => {
    if (answers[q] === `entry-${exactNearest(query, data, entries)}`) hits++;
  });
  latencies.sort((a, b) => a - b);
  return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), recall: hits / queries.length };
}

/** Brute force: the stored entry with the highest cosine (all are unit vectors). */
function exactNearest(query: Float32Array, data: Float32Array, entries: number): number {
  let best = -1;
  let bestScore = -Infinity;
  for (let i = 0; i < entries; i++) {
    const score = dot(data, i * DIMENSIONS, query, 0, DIMENSIONS);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

function randomUnit(random: RandomSource): Float32Array {
  const vector = new Float32Array(DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) vector[i] = gaussian(random);
  return scaleToUnit(vector);
}

/** A unit vector at exactly `cosine` to `source`: `source` plus an orthogonal random direction. */
function nearDuplicate(source: Float32Array, cosine: number, random: RandomSource): Float32Array {
  const direction = randomUnit(random);
  const along = dot(direction, 0, source, 0, DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) direction[i] = (direction[i] as number) - along * (source[i] as number);
  scaleToUnit(direction);
  const sine = Math.sqrt(1 - cosine * cosine);
  const query = new Float32Array(DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) query[i] = cosine * (source[i] as number) + sine * (direction[i] as number);
  return scaleToUnit(query);
}

function scaleToUnit(vector: Float32Array): Float32Array {
  const scale = 1 / Math.sqrt(dot(vector, 0, vector, 0, vector.length));
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale;
  return vector;
}

/** The JavaScript heap after a full collection, so that only what is still held counts. */
function heapBytes(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

let gc: (() => void) | undefined;
function collectGarbage(): void {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    const exposed: unknown = runInNewContext('gc');
    gc = typeof exposed === 'function' ? () => exposed() : () => undefined;
  }
  gc();
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
