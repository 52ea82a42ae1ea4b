// Three layers chosen by suffix (docs/architecture.md): *.spec.ts are pure unit tests,
// *.int-spec.ts talk to the real SQLite file, Redis and PostgreSQL on this machine,
// test/**/*.e2e-spec.ts boot the application and speak HTTP to it.
//
// NestJS 12 ships as ES modules. Node 20.19+ loads them from our CommonJS build natively
// (require(esm)), but Jest's own module loader does not, so Jest compiles every file it
// loads, node_modules included, to CommonJS with SWC. The cache makes this a one-off cost.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  // Native addons and large CommonJS packages are left alone; everything else may be ESM.
  transformIgnorePatterns: [
    '/node_modules/(better-sqlite3|typescript|@grpc|google-protobuf|pg|pg-.*|fast-check)/',
  ],
  moduleNameMapper: {
    '^@engine/(event-store|platform|incubation|read-models|workflow|notifications)$': '<rootDir>/libs/$1/src',
    '^@engine/(event-store|platform|incubation|read-models|workflow|notifications)/(.*)$':
      '<rootDir>/libs/$1/src/$2',
  },
  rootDir: __dirname,
};
module.exports = {
  // Two test files at a time even on two cores: most of the suite waits (fsync, PostgreSQL,
  // Redis, Chromium, child processes), so a second worker cuts the run by about a third, and
  // every file already has its own data directory, schema, Redis database or queue prefix.
  // Larger machines keep Jest's default (cores - 1).
  maxWorkers: Math.max(2, require('node:os').availableParallelism() - 1),
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    // Integration and e2e tests get 30 s a test (test/support/integration-timeout.js says why).
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.js'],
    },
    {
      ...common,
      displayName: 'e2e',
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.js'],
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.js',
    },
  ],
};
