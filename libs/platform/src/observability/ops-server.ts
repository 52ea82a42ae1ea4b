import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { HealthReport } from './health';
import type { Metrics } from './metrics';

export interface OpsServerOptions {
  port: number;
  host: string;
  /** Served at GET /metrics when given. */
  metrics?: Metrics;
  /** Behind GET /health/ready: 503 when `down`. */
  health: () => Promise<HealthReport>;
}

/**
 * The operations endpoint of a process without an HTTP API (the worker): GET /health/live,
 * GET /health/ready and GET /metrics, on a port of its own, unauthenticated; keep it on the
 * internal network. Anything else is 404.
 */
export class OpsServer {
  private constructor(private readonly server: Server) {}

  static async start(options: OpsServerOptions): Promise<OpsServer> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return json(response, 405, { status: 'error' });
      if (path === '/health/live') return json(response, 200, { status: 'up' });
      if (path === '/health/ready') {
        options.health().then(
          (report) => json(response, report.status === 'down' ? 503 : 200, report),
          (error: unknown) => json(response, 503, { status: 'down', error: String(error) }),
        );
        return;
      }
      if (path === '/metrics' && options.metrics) {
        const metrics = options.metrics;
        metrics.render().then(
          (text) => {
            response.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
            response.end(text);
          },
          () => json(response, 500, { status: 'error' }),
        );
        return;
      }
      json(response, 404, { status: 'not found' });
    });
    server.keepAliveTimeout = 5000;
    server.listen(options.port, options.host);
    await once(server, 'listening');
    return new OpsServer(server);
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeIdleConnections();
    await closed;
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}
