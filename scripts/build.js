#!/usr/bin/env node
// Compiles apps/, libs/ and bench/ to dist/ with SWC (about a second), rewriting the
// @engine/* path aliases to relative requires. Type checking is `npm run lint` (tsc --noEmit);
// keeping it out of the build is what lets `npm start` come up fast on a fresh machine.
const { spawnSync } = require('node:child_process');
const { rmSync, cpSync, existsSync } = require('node:fs');
const { buildConsole } = require('./build-console');
const { join } = require('node:path');

const root = join(__dirname, '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const swc = require.resolve('@swc/cli/bin/swc.js');
const sources = ['apps', 'libs', 'bench'].filter((dir) => existsSync(join(root, dir)));
const result = spawnSync(
  process.execPath,
  [
    swc,
    ...sources,
    '-d',
    'dist',
    '--config-file',
    '.swcrc',
    '--ignore',
    '**/*.spec.ts,**/*.int-spec.ts,apps/web/**,**/node_modules/**',
    '--quiet',
  ],
  { cwd: root, stdio: 'inherit' },
);
if (result.status !== 0) process.exit(result.status ?? 1);
// Non-TypeScript assets that live beside the code (templates, rule files) travel with it.
for (const dir of sources) {
  cpSync(join(root, dir), join(root, 'dist', dir), {
    recursive: true,
    filter: (src) =>
      !/\.ts$/.test(src) && !src.includes('node_modules') && !src.startsWith(join(root, 'apps', 'web')),
  });
}
// The web console (apps/web), rebuilt only when its sources changed (scripts/build-console.js).
if (!process.argv.includes('--no-console')) buildConsole();
