/**
 * Layering rules (docs/architecture.md). The domain is pure: it decides, it does no I/O and
 * knows no framework. Adapters depend on ports, never the other way round.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/*/src/domain may import neither NestJS nor any adapter, database or queue client.',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/domain/' },
      to: {
        path: [
          '^node_modules/@nestjs/',
          '^node_modules/(better-sqlite3|pg|ioredis|bullmq|@kurrent|kysely)/',
          '^libs/event-store/src/adapters/',
          '^apps/',
        ],
      },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'port-does-not-know-adapters',
      comment: 'The event store port and its helpers know no concrete adapter.',
      severity: 'error',
      from: { path: '^libs/event-store/src/(?!adapters/|event-store\\.module|index)' },
      to: { path: '^libs/event-store/src/adapters/' },
    },
    {
      name: 'blob-store-port-does-not-know-adapters',
      comment: 'The blob store port and its conformance suite know no concrete adapter.',
      severity: 'error',
      from: { path: '^libs/platform/src/blob-store/(?!adapters/|blob-store\\.module|index)' },
      to: { path: '^libs/platform/src/blob-store/adapters/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // apps/web/dist: the built console (bundled chunks import each other by design).
    exclude: { path: ['(\\.spec|\\.int-spec|\\.e2e-spec)\\.ts$', '^apps/web/dist/'] },
  },
};
