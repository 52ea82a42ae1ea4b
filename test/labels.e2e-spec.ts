import { type Harness, startApi } from './support/api-harness';
import { expectMatches } from './support/openapi-contract';

/** `GET /v1/labels`: the catalogue every screen, notification and timeline labels codes with. */
describe('GET /v1/labels', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(() => h.close());

  const officer = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
  const enterprise = { sub: 'ent-1', role: 'enterprise' as const, org: '91320214MA1XK0001X' };

  it('gives any signed-in role the catalogue in zh-CN and en, as documented', async () => {
    for (const as of [officer, enterprise, { sub: 'auditor-1', role: 'auditor' as const }]) {
      const res = await h.request('GET', '/v1/labels', { as });
      expect(res.status).toBe(200);
      expect(res.body['zh-CN'].applicationStatuses.returned).toBe('退回补正');
      expect(res.body.en.applicationStatuses.returned).toBe('Returned for more material');
      expect(res.body['zh-CN'].eventTypes.ApplicationReturned).toBe('退回补正');
      expect(res.body['zh-CN'].programmes.eaglet).toBe('雏鹰企业');
      expect(res.body['zh-CN'].exitReasons.fraud).toBe('弄虚作假');
      expect(res.body['zh-CN'].roles.officer).toBeTruthy();
      expect(res.body['zh-CN'].materials['financials.revenue']).toContain('营业收入');
      await expectMatches(h, 'GET', '/v1/labels', 200, res.body);
    }
  });

  it('refuses a caller without a token (401)', async () => {
    const res = await h.request('GET', '/v1/labels');
    expect(res.status).toBe(401);
    expect(res.body.code).toBeDefined();
  });

  it('documents every group and code, so a typed client knows them', async () => {
    const doc = (await h.request('GET', '/docs-json')).body;
    const schema = doc.paths['/v1/labels'].get.responses['200'].content['application/json'].schema;
    expect(schema.required).toEqual(['zh-CN', 'en']);
    expect(schema.properties['zh-CN'].properties.eventTypes.required).toContain('ExpertPanelDrawn');
  });
});
