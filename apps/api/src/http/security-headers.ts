import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The response headers helmet sets for `options`, worked out once: helmet's middleware only
 * ever sets fixed values (no nonces here) and removes X-Powered-By.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): {
  set: [string, string][];
  removed: string[];
} {
  const set = new Map<string, string>();
  const removed: string[] = [];
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.set(name, String(value));
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.push(name);
    },
  };
  helmet(options as HelmetOptions)(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error;
    },
  );
  return { set: [...set], removed };
}

/**
 * Security headers on every response, errors and 404s included, as helmet would set them.
 * `@fastify/helmet` builds helmet's middleware again for every request (parsing the whole
 * Content-Security-Policy each time, about 20 µs: 2% of a command's CPU in `bench:api`); the
 * headers never change, so they are computed at boot and copied onto each response.
 */
export function installSecurityHeaders(fastify: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const { set, removed } = helmetHeaders(options);
  fastify.addHook('onRequest', (_request, reply, done) => {
    const raw = reply.raw;
    for (let i = 0; i < set.length; i++) raw.setHeader(set[i][0], set[i][1]);
    for (let i = 0; i < removed.length; i++) raw.removeHeader(removed[i]);
    done();
  });
}
