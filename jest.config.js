/** Jest runs the TypeScript sources as ES modules (NestJS 12 is ESM-only): `node --experimental-vm-modules`. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.browser-spec.ts'],
  testTimeout: 60_000,
  // three test files at once on two cores: much of a file's time is spent waiting on PostgreSQL, Redis or Chromium (453 s against 561 s with two)
  maxWorkers: 3,
};
