import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Queue } from 'bullmq';
import { errorResponse } from '@engine/platform';
import type { BearerAuthenticator } from '../auth/bearer-authenticator';

export const DASHBOARD_PATH = '/admin/queues';
export const DASHBOARD_COOKIE = 'queue_dashboard_token';

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

const TOKEN_SHAPE = /^[A-Za-z0-9._~+/=-]{1,4096}$/;

/**
 * Bull Board at /admin/queues, for admins only. A script or curl sends the admin's bearer
 * token as usual; a browser opens `/admin/queues?token=<admin JWT>` once: the token is
 * verified, set as an HttpOnly, SameSite=Strict cookie scoped to /admin/queues (it expires
 * with the token), and the browser is redirected to the same page without the token in the
 * address. Every request (pages, assets, the board's API) is checked, by bearer or cookie.
 */
export async function installQueueDashboard(
  fastify: FastifyInstance,
  options: { queues: Queue[]; authenticator: BearerAuthenticator; secureCookie: boolean },
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: '企业培育库 queues' } },
  });

  const refuse = (reply: FastifyReply, status: 401 | 403, message: string) =>
    reply
      .code(status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorResponse(status, status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message));

  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, unknown> | undefined;
    const given = typeof query?.token === 'string' ? query.token : undefined;
    const token =
      given ??
      (request.headers.authorization?.startsWith('Bearer ')
        ? request.headers.authorization.slice(7)
        : cookieValue(request.headers.cookie, DASHBOARD_COOKIE));
    if (!token || !TOKEN_SHAPE.test(token)) return refuse(reply, 401, 'an admin token is required');
    let role: string;
    let exp: number | undefined;
    try {
      const principal = await options.authenticator.authenticate({
        headers: { authorization: `Bearer ${token}` },
      });
      role = principal.role;
      exp = (principal as { exp?: number }).exp;
    } catch {
      return refuse(reply, 401, 'the token is not valid');
    }
    if (role !== 'admin') return refuse(reply, 403, 'the queue dashboard is for admins');
    if (given !== undefined) {
      const maxAge = exp ? Math.max(0, exp - Math.floor(Date.now() / 1000)) : 3600;
      const cookie = [
        `${DASHBOARD_COOKIE}=${encodeURIComponent(given)}`,
        `Path=${DASHBOARD_PATH}`,
        'HttpOnly',
        'SameSite=Strict',
        `Max-Age=${maxAge}`,
        ...(options.secureCookie ? ['Secure'] : []),
      ].join('; ');
      const url = new URL(request.url, 'http://localhost');
      url.searchParams.delete('token');
      return reply
        .code(303)
        .header('set-cookie', cookie)
        .header('cache-control', 'no-store')
        .header('location', `${url.pathname}${url.search}`)
        .send();
    }
  };

  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', guard);
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: DASHBOARD_PATH },
  );
}
