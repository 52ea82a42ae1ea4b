import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EgressRefusedError, isAllowedAddress, parseAllowedNetworks, resolveEgress } from '@engine/platform';
import { WebhookChannel } from './channels';
import type { NotificationJob } from './rules/notification-rules';
import type { WebhookStore } from './webhook-store';

/** Webhook egress (docs/security.md, Webhooks and SSRF), against a real HTTP receiver on loopback. */
describe('webhook egress', () => {
  let server: Server;
  let port: number;
  const received: IncomingMessage[] = [];
  let answer: { status: number; location?: string } = { status: 204 };

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req);
      req.resume();
      res.writeHead(answer.status, answer.location ? { location: answer.location } : {});
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    answer = { status: 204 };
  });

  const job = {
    notificationId: 'n-1',
    webhookId: 'w-1',
    event: { id: 'e-1', type: 'ApplicationReturned' },
    recipient: { kind: 'enterprise', id: 'x' },
    zh: { subject: '退回', body: '请补充' },
    en: { subject: 'Returned', body: 'Add' },
  } as unknown as NotificationJob;
  const store = (url: string) =>
    ({ get: async () => ({ id: 'w-1', url, secret: 'a-secret-of-16-chars' }) }) as unknown as WebhookStore;

  it('refuses loopback, private, link-local and metadata addresses, in IPv4 and IPv6', () => {
    const none = parseAllowedNetworks('');
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      expect([address, isAllowedAddress(address, none)]).toEqual([address, false]);
    }
    for (const address of ['8.8.8.8', '114.114.114.114', '2400:3200::1']) {
      expect([address, isAllowedAddress(address, none)]).toEqual([address, true]);
    }
    expect(isAllowedAddress('10.20.1.5', parseAllowedNetworks('10.20.0.0/16'))).toBe(true);
    expect(isAllowedAddress('10.21.1.5', parseAllowedNetworks('10.20.0.0/16'))).toBe(false);
  });

  it('checks every address a URL resolves to', async () => {
    await expect(resolveEgress(new URL('http://localhost/hook'), parseAllowedNetworks(''))).rejects.toThrow(
      EgressRefusedError,
    );
    await expect(resolveEgress(new URL('http://[::1]:80/'), parseAllowedNetworks(''))).rejects.toThrow(
      EgressRefusedError,
    );
    await expect(resolveEgress(new URL('http://8.8.8.8/'), parseAllowedNetworks(''))).resolves.toEqual({
      address: '8.8.8.8',
      family: 4,
    });
  });

  it('does not deliver to a loopback receiver unless the allowlist names it', async () => {
    const url = `http://127.0.0.1:${port}/hook`;
    const refused = new WebhookChannel(store(url), {
      timeoutMs: 2000,
      allowedNetworks: parseAllowedNetworks(''),
    });
    await expect(refused.deliver(job)).rejects.toThrow(EgressRefusedError);
    expect(received).toHaveLength(0);
    const allowed = new WebhookChannel(store(url), {
      timeoutMs: 2000,
      allowedNetworks: parseAllowedNetworks('127.0.0.1'),
    });
    await expect(allowed.deliver(job)).resolves.toBe('delivered');
    expect(received).toHaveLength(1);
    expect(received[0].headers['x-signature']).toMatch(/^sha256=/);
  });

  it('never follows a redirect (to the metadata address or anywhere)', async () => {
    answer = { status: 302, location: 'http://169.254.169.254/latest/meta-data/' };
    const channel = new WebhookChannel(store(`http://127.0.0.1:${port}/hook`), {
      timeoutMs: 2000,
      allowedNetworks: parseAllowedNetworks('127.0.0.1'),
    });
    await expect(channel.deliver(job)).rejects.toThrow(/302.*redirects are not followed/);
    expect(received).toHaveLength(1);
  });
});
