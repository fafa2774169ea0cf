import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of packages/core/src (docs/architecture.md): each folder lists the folders it may
 * import. Importing any other folder, or the package's own index.ts, fails lint.
 */
const coreLayers = {
  errors: [],
  contract: ['errors'],
  catalog: ['errors', 'contract'],
  store: ['errors'],
  health: ['errors'],
  adapter: ['errors', 'contract', 'catalog'],
  rules: ['errors', 'contract'],
  events: ['errors', 'contract', 'adapter', 'cost'],
  cost: ['errors', 'contract', 'catalog', 'adapter'],
  pipeline: ['errors', 'contract', 'adapter', 'events', 'cost'],
  routing: ['errors', 'contract', 'catalog', 'adapter', 'events', 'health', 'rules', 'pipeline'],
  cache: ['errors', 'contract', 'catalog', 'store', 'adapter', 'events', 'pipeline', 'cost'],
  governance: ['errors', 'contract', 'store', 'adapter', 'rules', 'events', 'pipeline', 'cost'],
  guardrails: ['errors', 'contract', 'adapter', 'rules', 'events', 'pipeline', 'cost'],
  audit: ['errors', 'contract', 'adapter', 'events', 'cost', 'pipeline'],
  sinks: ['errors', 'contract', 'events'],
  telemetry: ['errors', 'contract', 'adapter', 'events', 'cost', 'pipeline'],
  'drop-in': ['errors', 'contract', 'adapter', 'events', 'pipeline', 'governance'],
  gateway: ['errors', 'contract', 'catalog', 'store', 'health', 'adapter', 'rules', 'events', 'pipeline', 'routing', 'cost', 'cache', 'governance', 'guardrails', 'audit', 'sinks', 'telemetry', 'drop-in'],
};

/**
 * The only upward imports, all type-only (erased at build time): `events/` names the operation
 * (`'chat' | 'embeddings'`) with the `Operation` type that `pipeline/middleware.ts` defines.
 */
const typeOnlyExceptions = {
  events: ['pipeline/middleware.js'],
};

const folderPatterns = (folder) => [`../${folder}`, `../${folder}/**`];

const coreLayerRules = Object.entries(coreLayers).map(([folder, allowed]) => {
  const exceptions = typeOnlyExceptions[folder] ?? [];
  const forbidden = Object.keys(coreLayers).filter((other) => other !== folder && !allowed.includes(other));
  return {
    files: [`packages/core/src/${folder}/**/*.ts`],
    // The layers are those of shipped code; a test may borrow another folder's helpers (a seeded PRNG).
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...forbidden.flatMap(folderPatterns), '../index.js', '../index'],
              message: `${allowed.length ? `${folder}/ may import only ${allowed.map((f) => `${f}/`).join(', ')}` : `${folder}/ may import nothing else of core`} (see docs/architecture.md).`,
            },
            ...(exceptions.length
              ? [
                  {
                    group: exceptions.map((path) => `../${path}`),
                    allowTypeImports: true,
                    message: `${folder}/ may import only types from ${exceptions.join(', ')} (see docs/architecture.md).`,
                  },
                ]
              : []),
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/results/**', 'coverage/**', 'docs/api/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  ...coreLayerRules,
  {
    // A double cast hides a type that does not fit (a call record passed off as a context).
    // Tests, and the Store contract that feeds a store deliberately wrong arguments, may.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/core/src/store/store-contract*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression > TSAsExpression.expression[typeAnnotation.type='TSUnknownKeyword']",
          message: 'No `as unknown as`: give the value a type that fits (docs/architecture.md).',
        },
      ],
    },
  },
);
