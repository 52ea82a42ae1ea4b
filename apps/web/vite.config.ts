import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes a gzipped copy (level 9) beside every script and style sheet of the build: the api
 * sends it to browsers that accept gzip (@fastify/static's preCompressed, apps/api/src/http/
 * console.ts), about a third of the JavaScript's bytes and a tenth of antd's style sheet.
 */
function precompress(): Plugin {
  return {
    name: 'console-precompress',
    apply: 'build',
    writeBundle(options) {
      const assets = join(options.dir!, 'assets');
      for (const file of readdirSync(assets))
        if (/\.(js|css)$/.test(file))
          writeFileSync(join(assets, `${file}.gz`), gzipSync(readFileSync(join(assets, file)), { level: 9 }));
    },
  };
}

/**
 * src/boot.ts is an entry of its own (a small chunk without imports), put first in index.html's
 * head so it runs while the app's bundle is still arriving (docs/console.md, "Performance").
 */
function bootScript(): Plugin {
  return {
    name: 'console-boot-script',
    apply: 'build',
    // Fills in boot.ts's table of each lazily loaded module's chunk files (with the chunks they
    // import, less those index.html already loads), so that it can preload a page's chunks; the
    // boot chunk is then renamed by a hash of its final text, as it is cached for a year.
    generateBundle: {
      order: 'pre',
      handler(_options, bundle) {
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const boot = chunks.find((c) => c.isEntry && c.name === 'boot');
        const index = chunks.find((c) => c.isEntry && c.facadeModuleId?.endsWith('index.html'));
        if (!boot || !index) throw new Error('console-boot-script: no boot or index chunk');
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const closure = (file: string, seen = new Set<string>()) => {
          if (seen.has(file)) return seen;
          seen.add(file);
          for (const imported of byFile.get(file)?.imports ?? []) closure(imported, seen);
          return seen;
        };
        const initial = closure(index.fileName);
        const table: Record<string, string[]> = {};
        for (const c of chunks)
          if (c.isDynamicEntry && c.facadeModuleId && /(App|RoundPage)\.tsx$/.test(c.facadeModuleId))
            table[c.facadeModuleId.slice(__dirname.length + 1)] = [...closure(c.fileName)].filter(
              (file) => !initial.has(file),
            );
        const placeholder = /(["'`])\{"__chunks__":\[\]\}\1/;
        if (!placeholder.test(boot.code)) throw new Error('console-boot-script: no chunk table in boot.ts');
        boot.code = boot.code.replace(placeholder, JSON.stringify(JSON.stringify(table)));
        const hash = createHash('sha256').update(boot.code).digest('base64url').slice(0, 8);
        delete bundle[boot.fileName];
        this.emitFile({ type: 'asset', fileName: `assets/boot-${hash}.js`, source: boot.code });
      },
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const file = Object.keys(ctx.bundle ?? {}).find((name) => /^assets\/boot-[\w-]+\.js$/.test(name));
        const src = file ? `/${file}` : '/src/boot.ts';
        return [{ tag: 'script', attrs: { type: 'module', async: true, src }, injectTo: 'head-prepend' }];
      },
    },
  };
}

// The console is built into apps/web/dist and served by the api at `/` (docs/console.md).
// Vite 8 compiles TSX with Oxc (automatic React runtime); no React plugin is needed to build.
export default defineConfig({
  root: __dirname,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    rollupOptions: {
      input: { index: resolve(__dirname, 'index.html'), boot: resolve(__dirname, 'src/boot.ts') },
    },
  },
  plugins: [bootScript(), precompress()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  server: { proxy: { '/v1': 'http://localhost:3000' } },
});
