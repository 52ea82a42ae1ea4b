// The console's initial JavaScript per role landing page, from Vite's build manifest: the boot
// script and the entry chunk (index.html's scripts), the role's lazily loaded workspace chunk (and the screen's own
// chunk where the landing screen is itself lazy), and every chunk they import statically, each
// gzipped at level 9 as bench/console.bench.ts measures in the browser. Target (issue 18):
// under 400 KB gzipped per role (docs/console.md).
//
//   node scripts/initial-js.js   (npm run bench:console-js) builds the console into a temporary
//   directory (about 2 s; apps/web/dist is left alone), prints the table and exits 1 when a page
//   is over the target. apps/web/initial-js.spec.ts runs the same check in `npm test`.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

const root = join(__dirname, '..');
const web = join(root, 'apps', 'web');

const TARGET = 400 * 1024;

/**
 * Each page a person lands on, with the lazy modules (manifest keys, relative to apps/web) the
 * browser loads before that page is usable. App.tsx picks the workspace by role; a workspace's
 * landing screen is in its own chunk unless listed.
 */
const PAGES = [
  { page: 'sign-in (signed out)', modules: [] },
  { page: 'officer, worklist (/)', modules: ['src/officer/OfficerApp.tsx'] },
  {
    page: "officer, a round's table (/rounds/:id)",
    modules: ['src/officer/OfficerApp.tsx', 'src/officer/RoundPage.tsx'],
  },
  { page: 'expert, assignments (/)', modules: ['src/expert/ExpertApp.tsx'] },
  { page: 'auditor, search (/)', modules: ['src/auditor/AuditorApp.tsx'] },
  { page: 'enterprise, home (/)', modules: ['src/enterprise/EnterpriseApp.tsx'] },
  { page: 'public, registration (/register)', modules: ['src/public/Register.tsx'] },
  { page: 'public, publicity (/publicity)', modules: ['src/public/Publicity.tsx'] },
];

/** Builds the console with a manifest into `outDir` (not apps/web/dist, which the api serves). */
function build(outDir) {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      join(web, 'vite.config.ts'),
      '--manifest',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'error',
    ],
    // A production build whoever calls: under Jest NODE_ENV is 'test', which would make Vite
    // bundle React's development build (about 70 KB more per page).
    { cwd: web, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (result.status !== 0) throw new Error(`vite build failed (${result.status}):\n${result.stderr}`);
}

/** Per page: the chunk files it loads first and their gzipped total in bytes. */
function measure(outDir) {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'));
  const gz = new Map();
  const size = (file) => {
    if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length);
    return gz.get(file);
  };
  return PAGES.map(({ page, modules }) => {
    const seen = new Set();
    const visit = (key) => {
      if (seen.has(key)) return;
      const chunk = manifest[key];
      if (!chunk)
        throw new Error(`${key} is not in the build manifest: update PAGES in scripts/initial-js.js`);
      seen.add(key);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    for (const key of ['index.html', ...modules]) visit(key);
    // boot.ts, index.html's first script, is an asset of its own (apps/web/vite.config.ts).
    const boot = readdirSync(join(outDir, 'assets'))
      .filter((file) => /^boot-[\w-]+\.js$/.test(file))
      .map((file) => `assets/${file}`);
    const files = [
      ...boot,
      ...[...seen].map((key) => manifest[key].file).filter((file) => file.endsWith('.js')),
    ];
    return { page, files, bytes: files.reduce((sum, file) => sum + size(file), 0) };
  });
}

/** Builds into a temporary directory, measures, removes it. */
function measureBuild() {
  const outDir = mkdtempSync(join(tmpdir(), 'console-js-'));
  try {
    build(outDir);
    return measure(outDir);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (require.main === module) {
  const rows = measureBuild();
  const width = Math.max(...rows.map((r) => r.page.length));
  console.log(`initial JS per landing page, gzipped (level 9); target < ${kb(TARGET)}\n`);
  for (const r of rows)
    console.log(
      `${r.page.padEnd(width)}  ${kb(r.bytes).padStart(9)}  ${r.files.length} files  ${r.bytes < TARGET ? 'ok' : 'OVER'}`,
    );
  const over = rows.filter((r) => r.bytes >= TARGET);
  if (over.length) {
    console.error(`\nover the ${kb(TARGET)} target: ${over.map((r) => r.page).join(', ')}`);
    process.exit(1);
  }
}

module.exports = { PAGES, TARGET, build, measure, measureBuild };
