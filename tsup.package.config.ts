import { defineConfig } from 'tsup';

/** Shared by every package: run from the package folder (`tsup --config ../../tsup.package.config.ts`). */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  tsconfig: 'tsconfig.build.json',
  clean: true,
  sourcemap: true,
  target: 'node22',
  // p-retry ships ESM only; bundling it (a few kB) keeps the CJS build's require() working.
  noExternal: ['p-retry', 'is-network-error'],
});
