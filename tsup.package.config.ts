import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

/**
 * The package's entries: `src/index.ts` for `.`, and `src/<name>/index.ts` for each subpath
 * `./<name>` its package.json `exports` lists (only core has one: `./adapter`), built to
 * `dist/<name>.{js,cjs,d.ts,d.cts}`, and `src/<file>.ts` for each command its `bin` lists.
 */
function entries(): Record<string, string> {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { exports?: Record<string, unknown>; bin?: Record<string, string> };
  const subpaths = Object.keys(manifest.exports ?? {}).filter((subpath) => subpath !== '.' && subpath !== './package.json');
  // A command (`bin: { name: './dist/<file>.js' }`) is built from `src/<file>.ts`.
  const commands = Object.values(manifest.bin ?? {}).map((path) => path.replace(/^\.\/dist\//, '').replace(/\.js$/, ''));
  return Object.fromEntries([['index', 'src/index.ts'], ...subpaths.map((subpath) => [subpath.slice(2), `src/${subpath.slice(2)}/index.ts`]), ...commands.map((file) => [file, `src/${file}.ts`])]);
}

/** Shared by every package: run from the package folder (`tsup --config ../../tsup.package.config.ts`). */
export default defineConfig({
  entry: entries(),
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  tsconfig: 'tsconfig.build.json',
  clean: true,
  sourcemap: true,
  target: 'node22',
  // One copy of the code both entries share, in CJS too (esbuild splits only ESM by default).
  splitting: true,
  // p-retry ships ESM only; bundling it (a few kB) keeps the CJS build's require() working.
  noExternal: ['p-retry', 'is-network-error'],
});
