import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Harness } from './api-harness';

/**
 * Headless Chromium from the operating system's package (`apt-get install chromium`; .ci/run
 * installs it), driven by playwright-core: no browser download. One browser per test file.
 */
export const CHROMIUM = '/usr/bin/chromium';

/** Puts the booted api on a loopback port for the browser and answers its origin. */
export async function serveOnLoopback(h: Harness): Promise<string> {
  const fastify = h.app.getHttpAdapter().getInstance();
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
}
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'browser');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright-core starts every launch with a fresh temporary profile (--user-data-dir).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh context as a person at a Chinese bureau meets the console: zh-CN, China's time zone,
 * downloads kept, and prefers-reduced-motion, so the console turns antd's animations off and
 * what a test checks is what is there. Steps wait up to 15 s (a loaded CI machine).
 */
export async function personContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/**
 * Runs a browser test body, keeping a screenshot of the page when it fails
 * (test-results/browser/<name>.png) before the failure is reported.
 */
export async function withScreenshot(page: () => Page | undefined, name: string, body: () => Promise<void>) {
  try {
    await body();
  } catch (error) {
    const current = page();
    if (current) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '_')}.png`);
      await current.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      (error as Error).message += `\n(screenshot: ${file})`;
    }
    throw error;
  }
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA). */
export async function seriousViolations(
  page: Page,
): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') still holds.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (o: unknown) => Promise<any> } }).axe; // eslint-disable-line @typescript-eslint/no-explicit-any
    return axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}
