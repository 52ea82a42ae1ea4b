import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The client routes of the console (apps/web): each answers index.html, and the single-page
 * app routes from there. Listed rather than caught by a wildcard, so an unknown path under
 * /v1, /docs, /health or /metrics stays the api's own 404.
 */
export const CONSOLE_ROUTES = [
  '/',
  '/sign-in',
  '/rounds',
  '/rounds/*',
  '/applications/*',
  '/memberships',
  '/statistics',
  '/audit/*',
  '/register',
  '/reset-password',
  '/publicity',
  '/publicity/*',
] as const;

/**
 * Serves the built console from `dir`: hashed files under /assets/ for a year (immutable: a
 * new build has new names), gzipped when the build wrote a .gz beside them and the browser
 * accepts it, index.html never from cache. Without a build, nothing is served
 * and the api works as before (`logWarning` says so once).
 */
export async function installConsole(
  fastify: FastifyInstance,
  dir: string,
  logWarning: (message: string) => void,
): Promise<void> {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) {
    logWarning(`no web console at ${dir} (run \`npm run build\`): / is not served`);
    return;
  }
  const index = readFileSync(indexFile);
  if (existsSync(join(dir, 'assets')))
    await fastify.register(fastifyStatic, {
      root: join(dir, 'assets'),
      prefix: '/assets/',
      index: false,
      // The build writes a .gz beside each script and style sheet (apps/web/vite.config.ts).
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res) => void res.header('Cache-Control', 'public, max-age=31536000, immutable'),
    });
  for (const url of CONSOLE_ROUTES)
    fastify.get(url, (_request, reply) =>
      reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(index),
    );
}
