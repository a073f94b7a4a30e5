// ESLint (flat config): typescript-eslint with promise-safety and exhaustiveness rules, and
// Nx's module-boundary rule that keeps libs/sync-domain pure (no Nest, TypeORM, kafkajs,
// axios) and keeps apps from importing each other. `npm run lint` fails on any warning.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.local/**', '**/fixtures/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@nx/enforce-module-boundaries': ['error', {
        allow: [],
        depConstraints: [
          { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: ['scope:domain', 'scope:contracts'],
            bannedExternalImports: ['@nestjs/*', 'typeorm', 'kafkajs', 'axios', 'pg', 'fastify'] },
          { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: ['scope:contracts'],
            bannedExternalImports: ['@nestjs/*', 'typeorm', 'kafkajs', 'axios', 'pg'] },
          { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:infra', 'scope:contracts', 'scope:domain'] },
          { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:infra', 'scope:contracts', 'scope:domain', 'scope:testing'] },
          { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:infra', 'scope:contracts', 'scope:domain', 'scope:testing'] },
        ],
      }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests may use loose JSON access on HTTP responses.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
