import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string, entry = 'index.ts') => fileURLToPath(new URL(`./packages/${pkg}/src/${entry}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources; `pnpm build` checks the published bundles separately.
    // Subpath entries first: an alias matches a prefix, so `@switchyard/core` would also take `@switchyard/core/adapter`.
    alias: {
      '@switchyard/core/adapter': src('core', 'adapter/index.ts'),
      '@switchyard/core': src('core'),
      '@switchyard/openai': src('openai'),
      '@switchyard/testing': src('testing'),
      '@switchyard/anthropic': src('anthropic'),
      '@switchyard/google': src('google'),
      '@switchyard/ai-sdk': src('ai-sdk'),
      '@switchyard/cli': src('cli'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 10_000,
    // Surface leaks: a test that leaves a rejection unhandled fails the run.
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
