import { defineConfig } from 'vite';

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
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  server: { proxy: { '/v1': 'http://localhost:3000' } },
});
