import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Queue } from 'bullmq';
import { type AppConfig, errorResponse } from '@engine/platform';
import type { BearerAuthenticator } from '../auth/bearer-authenticator';
import type { SessionAuthenticator } from '../auth/session-authenticator';
import { originAllowed, SAFE_METHODS } from '../auth/session-cookies';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues, for admins only: a browser signed in to the console as an admin
 * opens it with its session (the `sid` cookie, no token in any address, so no proxy or history
 * ever logs one); a script sends the admin's bearer token as usual. Every request (pages,
 * assets, the board's API) is checked, and a write made with the session cookie (retry, clean)
 * must come from the console's own origin, as every other cookie write must.
 */
export async function installQueueDashboard(
  fastify: FastifyInstance,
  options: {
    queues: Queue[];
    authenticator: BearerAuthenticator;
    sessions: SessionAuthenticator;
    config: Pick<AppConfig, 'CORS_ORIGINS' | 'PUBLIC_URL'>;
  },
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: '企业培育库 queues' } },
  });

  const refuse = (reply: FastifyReply, status: 401 | 403, code: string, message: string) =>
    reply
      .code(status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorResponse(status, code, message));

  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    let role: string;
    if (request.headers.authorization !== undefined) {
      try {
        role = (await options.authenticator.authenticate(request)).role;
      } catch {
        return refuse(reply, 401, 'UNAUTHENTICATED', 'the token is not valid');
      }
    } else {
      const session = await options.sessions.session(request);
      if (!session) return refuse(reply, 401, 'UNAUTHENTICATED', 'sign in to the console as an admin first');
      if (!SAFE_METHODS.has(request.method.toUpperCase()) && originAllowed(options.config, request) !== true)
        return refuse(
          reply,
          403,
          'CSRF_REFUSED',
          'a write with the session cookie must come from the console',
        );
      role = session.account.role;
    }
    if (role !== 'admin') return refuse(reply, 403, 'FORBIDDEN', 'the queue dashboard is for admins');
  };

  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', guard);
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: DASHBOARD_PATH },
  );
}
