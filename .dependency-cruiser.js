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
    // The libs in the order the arrows say (docs/architecture.md): platform at the bottom, the
    // event store on it, then the read-model database and runners, the workflow runtime, the
    // domain, the apps on top. Read models also project the domain's events (they import its
    // event types and folds), and notifications sit beside the workflow.
    {
      name: 'platform-is-the-base',
      comment: 'libs/platform knows no other lib.',
      severity: 'error',
      from: { path: '^libs/platform/' },
      to: { path: '^libs/(?!platform/)' },
    },
    {
      name: 'event-store-on-platform-only',
      comment: 'libs/event-store uses only libs/platform.',
      severity: 'error',
      from: { path: '^libs/event-store/' },
      to: { path: '^libs/(?!platform/|event-store/)' },
    },
    {
      name: 'workflow-below-the-domain',
      comment: 'libs/workflow runs sagas; it knows no domain (incubation) and no notifications.',
      severity: 'error',
      from: { path: '^libs/workflow/' },
      to: { path: '^libs/(incubation|notifications)/' },
    },
    {
      name: 'domain-does-not-read-read-models',
      comment:
        'libs/incubation does not import libs/read-models: what it needs from them is a port ' +
        '(RoundRoster) the apps bind with IncubationModule.forRoot.',
      severity: 'error',
      from: { path: '^libs/incubation/' },
      to: { path: '^libs/read-models/' },
    },
    {
      name: 'notifications-are-not-the-domain',
      comment: 'libs/notifications reads events and read models; the domain and the runtime do not know it.',
      severity: 'error',
      from: { path: '^libs/(platform|event-store|read-models|workflow|incubation)/' },
      to: { path: '^libs/notifications/' },
    },
    {
      name: 'no-app-imports-another-app',
      comment:
        'An app is a process; what two apps share is a lib. Allowed: the api hosts the worker module ' +
        'in the embedded profile, and the demo drives the api app in process.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: {
        path: '^apps/',
        pathNot: [
          '^apps/$1/',
          // apps/api/src/api.module.ts: `withWorker` (the embedded profile, docs/architecture.md)
          '^apps/worker/src/worker\\.module\\.ts$',
          // apps/demo/src/main.ts: `npm run demo` boots the api in process
          '^apps/api/src/app\\.factory\\.ts$',
        ],
      },
    },
    {
      name: 'libs-through-their-index',
      comment:
        'Another lib is imported as @engine/x (its src/index.ts), never @engine/x/deep/path. ' +
        'Imports that did so before this rule are listed in .dependency-cruiser-known-violations.json ' +
        '(regenerate with `npx depcruise-baseline apps libs --config .dependency-cruiser.js` only to shrink it).',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/(?!$1/)[^/]+/src/(?!index\\.ts$)' },
    },
    {
      name: 'apps-use-libs-through-their-index',
      comment:
        'Apps import a lib as @engine/x (its src/index.ts), as libs-through-their-index. The console ' +
        '(apps/web) is the exception: it runs the engine’s pure domain functions in the browser (the ' +
        'panel draw, the scoring sheet, the credit-code check) and imports exactly those files, since ' +
        'a lib index would pull Node-only modules into the bundle. The domain-is-pure rule keeps them importable.',
      severity: 'error',
      from: { path: '^apps/', pathNot: '^apps/web/' },
      to: { path: '^libs/[^/]+/src/(?!index\\.ts$)' },
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
