// Builds the web console (apps/web) into apps/web/dist with Vite, unless nothing it is built
// from changed since the last build: a SHA-256 of its sources, its config and the lockfile is
// kept in apps/web/dist/.source-hash, so a repeated `npm start` skips the build (docs/console.md).
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const web = join(root, 'apps', 'web');
const out = join(web, 'dist');

const CONSOLE_ENGINE_DIRS = [
  'libs/incubation/src/domain/expert-review',
  'libs/incubation/src/domain/policies',
  'libs/incubation/src/domain/shared',
];

function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
}

function sourceHash() {
  const hash = createHash('sha256');
  // The build's mode is part of what it is built from: a stamp written by a build that was not
  // forced to production (before it was) must not let that build be served.
  hash.update('mode=production\0');
  const inputs = [
    ...files(join(web, 'src')),
    // Pure engine files the console imports (the expert-draw and scoring-sheet arithmetic):
    // a change there must rebuild the console too.
    ...CONSOLE_ENGINE_DIRS.flatMap((dir) => files(join(root, dir))),
    join(web, 'index.html'),
    join(web, 'tsconfig.json'),
    join(web, 'vite.config.ts'),
    join(root, 'package-lock.json'),
  ];
  for (const file of inputs) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function buildConsole() {
  if (!existsSync(join(web, 'index.html'))) return;
  const hash = sourceHash();
  const stamp = join(out, '.source-hash');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash && existsSync(join(out, 'index.html')))
    return;
  const started = Date.now();
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn'],
    {
      cwd: web,
      stdio: 'inherit',
      // Always a production build, whoever calls: under Jest NODE_ENV is 'test', which made Vite
      // bundle React's development build (about 70 KB more gzipped, every effect run twice under
      // StrictMode), and the stamp then kept serving it to `npm start` and the benchmarks.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stamp, hash);
  console.error(`web console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

module.exports = { buildConsole };
