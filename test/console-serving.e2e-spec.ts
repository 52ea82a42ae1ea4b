import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Harness, startApi } from './support/api-harness';

/**
 * The web console as the api serves it (built by scripts/build.js in jest's global setup), and
 * its typed client kept in step with the api's OpenAPI document.
 */
const root = join(__dirname, '..');
const assets = join(root, 'apps', 'web', 'dist', 'assets');

describe('web console', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
  }, 60_000);
  afterAll(() => h.close());

  it('answers index.html at / and at client routes, never cached, under the CSP', async () => {
    for (const url of [
      '/',
      '/rounds',
      '/rounds/8d1f0a8e-0000-4000-8000-000000000000',
      '/applications/x',
      '/sign-in',
      '/audit/verify',
    ]) {
      const res = await h.request('GET', url);
      expect([url, res.status, String(res.headers['content-type'])]).toEqual([
        url,
        200,
        'text/html; charset=utf-8',
      ]);
      expect(String(res.body)).toContain('<div id="root"></div>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    }
  });

  it('serves hashed assets for a year (immutable)', async () => {
    expect(existsSync(assets)).toBe(true);
    const file = readdirSync(assets).find((f) => f.endsWith('.js'))!;
    const res = await h.request('GET', `/assets/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(String(res.headers['content-type'])).toMatch(/javascript/);
  });

  it('sends the gzipped copy of a script or style sheet to a browser that accepts gzip', async () => {
    const file = readdirSync(assets).find((f) => f.endsWith('.css'))!;
    const plain = await h.request('GET', `/assets/${file}`);
    const gzipped = await h.request('GET', `/assets/${file}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(String(gzipped.headers['content-type'])).toMatch(/css/);
    expect(gzipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(gzipped.headers['content-length'])).toBeLessThan(
      Number(plain.headers['content-length']) / 4,
    );
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('names its first script (boot) in index.html, before the bundle, under a hashed name', async () => {
    const html = String((await h.request('GET', '/')).body);
    const boot = /<script type="module" async src="\/assets\/(boot-[\w-]+\.js)"><\/script>/.exec(html);
    expect(boot).not.toBeNull();
    expect(html.indexOf(boot![0])).toBeLessThan(html.indexOf('/assets/index-'));
    expect((await h.request('GET', `/assets/${boot![1]}`)).status).toBe(200);
  });

  it('leaves the api its own paths: unknown ones under /v1 are the api 404, not the console', async () => {
    for (const url of ['/v1/nothing-here', '/health/nothing', '/docs/nothing']) {
      const res = await h.request('GET', url);
      expect([url, res.status]).toEqual([url, 404]);
      expect(String(res.headers['content-type'])).not.toMatch(/html/);
    }
    expect((await h.request('GET', '/health')).status).toBe(200);
  });

  it('has a committed typed client that matches the served OpenAPI document (npm run web:types)', () => {
    expect(() =>
      execFileSync(process.execPath, [join(root, 'scripts', 'openapi-types.js'), '--check'], {
        cwd: root,
        stdio: 'pipe',
      }),
    ).not.toThrow();
  }, 60_000);
});
