import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { AliyunSmsProvider, SmsRefusedError } from './sms-provider';

/**
 * The Aliyun SMS adapter against a local HTTP server that checks the request the way Aliyun's
 * documentation for RPC signature version 1.0 describes it, written here on its own from the
 * documentation (not from the adapter): sort the parameters (without Signature), percent-encode
 * names and values (RFC 3986: space %20, * %2A, ~ kept), join with = and &, sign
 * `GET&%2F&` + the encoded query with HMAC-SHA1 under `<AccessKeySecret>&`, base64.
 */
const SECRET = 'testsecret-0123456789';

function documentedEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/\+/g, '%20')
    .replace(/\*/g, '%2A')
    .replace(/%7E/g, '~')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/!/g, '%21');
}

function expectedSignature(params: URLSearchParams, secret: string): string {
  const pairs = [...params.entries()]
    .filter(([key]) => key !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = pairs.map(([k, v]) => `${documentedEncode(k)}=${documentedEncode(v)}`).join('&');
  const stringToSign = `GET&${documentedEncode('/')}&${documentedEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

describe('Aliyun SMS (SendSms, RPC signature v1) against a server that checks the documented signing', () => {
  let server: Server;
  let endpoint: string;
  const received: URLSearchParams[] = [];
  let answer: { status: number; body: unknown } = {
    status: 200,
    body: { Code: 'OK', Message: 'OK', BizId: '1' },
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const params = new URL(request.url!, 'http://localhost').searchParams;
      received.push(params);
      const problems: string[] = [];
      for (const key of [
        'AccessKeyId',
        'Action',
        'Format',
        'PhoneNumbers',
        'SignName',
        'SignatureMethod',
        'SignatureNonce',
        'SignatureVersion',
        'TemplateCode',
        'TemplateParam',
        'Timestamp',
        'Version',
        'Signature',
      ])
        if (!params.get(key)) problems.push(`missing ${key}`);
      if (params.get('SignatureMethod') !== 'HMAC-SHA1') problems.push('SignatureMethod');
      if (params.get('SignatureVersion') !== '1.0') problems.push('SignatureVersion');
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(params.get('Timestamp') ?? ''))
        problems.push('Timestamp');
      if (params.get('Signature') !== expectedSignature(params, SECRET))
        problems.push('SignatureDoesNotMatch');
      response.setHeader('content-type', 'application/json');
      if (problems.length) {
        response.statusCode = 400;
        response.end(
          JSON.stringify({
            Code: problems.includes('SignatureDoesNotMatch') ? 'SignatureDoesNotMatch' : 'MissingParameter',
            Message: problems.join(', '),
          }),
        );
        return;
      }
      response.statusCode = answer.status;
      response.end(JSON.stringify(answer.body));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    received.length = 0;
    answer = { status: 200, body: { Code: 'OK', Message: 'OK', BizId: '1' } };
  });

  const provider = (secret = SECRET) =>
    new AliyunSmsProvider({
      accessKeyId: 'LTAI-test',
      accessKeySecret: secret,
      signName: '企业培育库',
      endpoint,
    });

  it('sends the template code and its parameters, signed as documented, with the signature name', async () => {
    await provider().send('13812345678', {
      template: 'SMS_CULTIVATION_RETURNED',
      params: { programme: '雏鹰企业', respondBy: '2026-03-20 (含)*~' },
    });
    expect(received).toHaveLength(1);
    const params = received[0];
    expect(params.get('Action')).toBe('SendSms');
    expect(params.get('Version')).toBe('2017-05-25');
    expect(params.get('PhoneNumbers')).toBe('13812345678');
    expect(params.get('SignName')).toBe('企业培育库');
    expect(params.get('TemplateCode')).toBe('SMS_CULTIVATION_RETURNED');
    expect(JSON.parse(params.get('TemplateParam')!)).toEqual({
      programme: '雏鹰企业',
      respondBy: '2026-03-20 (含)*~',
    });
  });

  it('uses a fresh nonce for every message', async () => {
    const p = provider();
    await p.send('13812345678', { template: 'SMS_1', params: {} });
    await p.send('13812345678', { template: 'SMS_1', params: {} });
    expect(received[0].get('SignatureNonce')).not.toBe(received[1].get('SignatureNonce'));
  });

  it('a wrong secret is refused by the signature check and not retried (SmsRefusedError)', async () => {
    await expect(
      provider('another-secret').send('13812345678', { template: 'SMS_1', params: {} }),
    ).rejects.toThrow(SmsRefusedError);
    await expect(
      provider('another-secret').send('13812345678', { template: 'SMS_1', params: {} }),
    ).rejects.toThrow(/SignatureDoesNotMatch/);
  });

  it('throttling is an error to retry; a bad template is not', async () => {
    answer = { status: 200, body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控' } };
    const throttled = provider().send('13812345678', { template: 'SMS_1', params: {} });
    await expect(throttled).rejects.toThrow(/BUSINESS_LIMIT_CONTROL/);
    await expect(throttled).rejects.not.toThrow(SmsRefusedError);
    answer = { status: 200, body: { Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: '模板不合法' } };
    await expect(provider().send('13812345678', { template: 'SMS_1', params: {} })).rejects.toThrow(
      SmsRefusedError,
    );
  });
});
