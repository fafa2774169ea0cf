/**
 * The public surface of every package entry, pinned: the runtime values (`Object.keys` of the
 * entry's module) and the type-only names (what the TypeScript checker sees exported, minus the
 * values), compared with test/public-exports.json. Adding, removing or moving a name is a
 * conscious change: update the JSON in the same commit (`UPDATE_PUBLIC_EXPORTS=1 pnpm vitest run
 * test/public-exports.test.ts` rewrites it). Runs on the sources; test/package-exports.test.ts and
 * test/packaging/ check that the built bundles carry the same entries.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pinnedFile = resolve(root, 'test/public-exports.json');

/** Every public entry: its specifier and its source file. */
const entries: Readonly<Record<string, string>> = {
  '@switchyard/core': 'packages/core/src/index.ts',
  '@switchyard/core/adapter': 'packages/core/src/adapter/index.ts',
  '@switchyard/openai': 'packages/openai/src/index.ts',
  '@switchyard/anthropic': 'packages/anthropic/src/index.ts',
  '@switchyard/google': 'packages/google/src/index.ts',
  '@switchyard/testing': 'packages/testing/src/index.ts',
  '@switchyard/ai-sdk': 'packages/ai-sdk/src/index.ts',
  '@switchyard/cli': 'packages/cli/src/index.ts',
};

interface Surface {
  values: string[];
  types: string[];
}

/** Every name each entry exports, values and types alike, as the checker resolves them. */
function exportedNames(): Map<string, string[]> {
  const configFile = ts.readConfigFile(resolve(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const config = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const files = Object.values(entries).map((file) => resolve(root, file));
  const program = ts.createProgram(files, config.options);
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  for (const [specifier, file] of Object.entries(entries)) {
    const source = program.getSourceFile(resolve(root, file));
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) throw new Error(`${file}: the compiler found no module`);
    names.set(specifier, checker.getExportsOfModule(symbol).map((exported) => exported.getName()));
  }
  return names;
}

describe('public exports', () => {
  const actual: Record<string, Surface> = {};

  beforeAll(async () => {
    const all = exportedNames();
    for (const [specifier, file] of Object.entries(entries)) {
      const module = (await import(pathToFileURL(resolve(root, file)).href)) as Record<string, unknown>;
      const values = Object.keys(module).sort();
      const types = (all.get(specifier) ?? []).filter((name) => !values.includes(name)).sort();
      actual[specifier] = { values, types };
    }
    if (process.env.UPDATE_PUBLIC_EXPORTS) writeFileSync(pinnedFile, `${JSON.stringify(actual, null, 2)}\n`);
  }, 120_000);

  const pinned = JSON.parse(readFileSync(pinnedFile, 'utf8')) as Record<string, Surface>;

  it('pins every entry', () => {
    expect(Object.keys(pinned).sort()).toEqual(Object.keys(entries).sort());
  });

  for (const specifier of Object.keys(entries)) {
    it(`${specifier} exports exactly its pinned values and types`, () => {
      const message = `${specifier}'s exports changed: if that is meant, update test/public-exports.json`;
      expect(actual[specifier]?.values, message).toEqual(pinned[specifier]?.values);
      expect(actual[specifier]?.types, message).toEqual(pinned[specifier]?.types);
    });
  }

  it('keeps adapter-author helpers out of the application entry', () => {
    const main = new Set([...(pinned['@switchyard/core']?.values ?? []), ...(pinned['@switchyard/core']?.types ?? [])]);
    const adapterOnly = ['CallContext', 'ChatRequest', 'sdkErrorToGatewayError', 'readEventStream', 'KeyPool', 'ServerSentEventDecoder', 'parseRetryAfter'];
    for (const name of adapterOnly) expect(main.has(name), name).toBe(false);
    for (const internal of ['CircuitBreaker', 'TokenBucket', 'LatencyTracker', 'DeploymentHealth', 'RouteExecutor']) expect(main.has(internal), internal).toBe(false);
  });
});
