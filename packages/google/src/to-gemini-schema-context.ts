import { UnsupportedFeatureError } from '@switchyard/core';

/** Deeper than this (counting inlined `$ref`s and `allOf` members) is treated as unconvertible. */
export const MAX_DEPTH = 64;
/** Work budget, so shared `$ref`s that fan out exponentially fail fast instead of hanging. */
export const MAX_STEPS = 20_000;

export type Path = readonly (string | number)[];

export interface Context {
  readonly root: unknown;
  steps: number;
  /** Per `$ref` target: whether inlining it would never end. */
  readonly recursive: Map<object, boolean>;
  /** Keywords met in the input that the output leaves out (see `dropped-keywords.ts`). */
  readonly dropped: Set<string>;
}

export function spend(ctx: Context, at: Path, depth: number): void {
  if (depth > MAX_DEPTH) throw unsupported(at, `the schema nests more than ${MAX_DEPTH} levels deep once references are inlined`);
  if (++ctx.steps > MAX_STEPS) throw unsupported(at, `the schema is too large once references are inlined (over ${MAX_STEPS} nodes)`);
}

export function unsupported(at: Path, problem: string): UnsupportedFeatureError {
  const pointer = `#${at.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')}`;
  return new UnsupportedFeatureError('json_schema', `Cannot convert this JSON schema for Gemini at ${pointer}: ${problem}.`);
}
