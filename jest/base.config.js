// Shared jest settings for the three test tiers. ts-jest only transpiles here
// (isolatedModules): type errors are caught once by `npm run typecheck`, not per test file.
const path = require('node:path');
const root = path.resolve(__dirname, '..');
module.exports = (tier, overrides = {}) => ({
  rootDir: root,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/bench'],
  testEnvironment: 'node',
  testMatch: [`**/*.${tier}.ts`],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: '<rootDir>/tsconfig.base.json' }] },
  moduleNameMapper: {
    '^@incident-sync/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^@incident-sync/([a-z-]+)/([a-z-]+)$': '<rootDir>/libs/$1/src/$2/index.ts',
  },
  setupFiles: ['reflect-metadata'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  ...overrides,
});
