// ESLint (flat config): typescript-eslint with promise-safety and exhaustiveness rules, and
// Nx's module-boundary rule that keeps libs/sync-domain pure (no Nest, TypeORM, kafkajs,
// axios) and keeps apps from importing each other. `npm run lint` fails on any warning.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Product code may not use libs/testing; test files (by tier suffix) may. */
function boundaries(inTests) {
  const testing = inTests ? ['scope:testing'] : [];
  return {
    allow: [],
    depConstraints: [
      { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: ['scope:domain', 'scope:contracts', ...testing],
        bannedExternalImports: ['@nestjs/*', 'typeorm', 'kafkajs', 'axios', 'pg', 'fastify'] },
      { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: ['scope:contracts', ...testing],
        bannedExternalImports: ['@nestjs/*', 'typeorm', 'kafkajs', 'axios', 'pg'] },
      { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:infra', 'scope:contracts', 'scope:domain', ...testing] },
      { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:infra', 'scope:contracts', 'scope:domain', 'scope:testing'] },
      { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:infra', 'scope:contracts', 'scope:domain', ...testing] },
    ],
  };
}

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.local/**', '**/fixtures/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // Env classes annotate types on purpose: class-transformer converts variables using the
      // emitted design:type metadata, which TypeScript emits only for annotated properties.
      '@typescript-eslint/no-inferrable-types': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A product file holds one concern; past 300 lines of code it usually holds two. An
      // exception disables the rule in its header comment and says why.
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Tests may use loose JSON access on HTTP responses.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', '**/testing/**/*.ts', 'libs/testing/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': ['error', boundaries(true)],
      'max-lines': 'off',
    },
  },
];
