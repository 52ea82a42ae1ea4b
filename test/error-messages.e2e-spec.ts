import type { Principal } from '@engine/platform';
import { randomUUID } from 'node:crypto';
import { type Harness, startApi } from './support/api-harness';

const ROUND = randomUUID();

/** Error messages follow Accept-Language (zh-CN when absent); code and shape never change. */
describe('error messages in the caller’s language', () => {
  let h: Harness;
  const officer: Principal = { sub: 'officer-i18n', role: 'officer', jurisdiction: 'js.wuxi' };
  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(() => h.close());

  it('answers in Chinese without Accept-Language, in English when it prefers English, with the same code and shape', async () => {
    const zh = await h.request('GET', `/v1/rounds/${ROUND}`, { as: officer });
    const en = await h.request('GET', `/v1/rounds/${ROUND}`, {
      as: officer,
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    const zhPreferred = await h.request('GET', `/v1/rounds/${ROUND}`, {
      as: officer,
      headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' },
    });
    expect(zh.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'ROUND_NOT_FOUND',
      message: '找不到该批次',
    });
    expect(en.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'ROUND_NOT_FOUND',
      message: 'no such round',
    });
    expect(zhPreferred.body.message).toBe('找不到该批次');
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(en.headers['content-language']).toBe('en');
  });

  it('translates the message of a validation error and keeps its details', async () => {
    const zh = await h.request('POST', '/v1/enterprises', {
      as: officer,
      body: { creditCode: 'nonsense', name: '', jurisdiction: 'js.wuxi', establishedOn: '2019-05-20' },
    });
    expect(zh.status).toBe(400);
    expect(zh.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '请求内容未通过校验，请按 details 逐项更正',
    });
    expect(zh.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'creditCode' })]),
    );
  });

  it('answers an anonymous caller in Chinese too (401)', async () => {
    const anonymous = await h.request('GET', '/v1/memberships');
    expect(anonymous.body).toMatchObject({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: '需要有效的登录凭证',
    });
  });
});
