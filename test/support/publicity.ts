import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import type { Harness } from './api-harness';
import { creditCode } from './fixtures';
import { samples, upload } from './materials';

const CITY: Principal = { sub: 'publicity-officer', role: 'officer', jurisdiction: 'js.wuxi' };
const ADMIN: Principal = { sub: 'publicity-admin', role: 'admin' };

async function ok(h: Harness, method: 'GET' | 'POST', url: string, as: Principal, body?: unknown) {
  const res = await h.request(method, url, { as, body });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * A js.wuxi eaglet round whose one application (`name`, in js.wuxi.xinwu) has passed expert
 * review and is publicised: registered experts, both reviews, a panel scoring 85, the round
 * closed, publicity started. For the public pages, which show only what is in publicity.
 */
export async function roundInPublicity(
  h: Harness,
  {
    batch,
    title,
    name,
    seed,
    serial,
  }: { batch: number; title: string; name: string; seed: string; serial: number },
): Promise<{ roundId: string; applicationId: string; code: string; endsOn: string }> {
  const { id: roundId } = await ok(h, 'POST', '/v1/rounds', CITY, {
    programme: 'eaglet',
    year: 2026,
    batch,
    title,
    jurisdiction: 'js.wuxi',
    opensAt: '2026-03-01T00:00:00+08:00',
    closesAt: '2026-12-31T17:00:00+08:00',
  });
  for (let n = 1; n <= 16; n++)
    await ok(h, 'POST', '/v1/experts', ADMIN, {
      id: `${seed}-e-${n}`,
      name: `公示专家${n}`,
      field: n <= 3 ? 'finance' : 'engineering',
      affiliations: [],
    });
  const code = creditCode(`91320214MA${String(serial).padStart(7, '0')}`);
  const owner: Principal = { sub: `ent-${code}`, role: 'enterprise', org: code };
  await ok(h, 'POST', '/v1/enterprises', owner, {
    creditCode: code,
    name,
    jurisdiction: 'js.wuxi.xinwu',
    establishedOn: '2019-05-20',
  });
  const { id: applicationId } = await ok(h, 'POST', '/v1/applications', owner, {
    roundId,
    creditCode: code,
    data: eagletData(),
  });
  // The licence, for a policy version that requires it (harmless where it is optional).
  const licence = await upload(h, applicationId, owner, 'business-licence', {
    name: '营业执照.pdf',
    content: samples.pdf(),
  });
  if (licence.status !== 201) throw new Error(`upload: ${licence.status} ${JSON.stringify(licence.body)}`);
  await ok(h, 'POST', `/v1/applications/${applicationId}/submit`, owner);
  for (const stage of ['district', 'city'])
    await ok(h, 'POST', `/v1/applications/${applicationId}/reviews`, CITY, {
      stage,
      decision: 'recommend',
      reason: '同意',
    });
  const { experts } = await ok(h, 'POST', `/v1/applications/${applicationId}/panel`, CITY, {});
  for (const expert of experts as string[])
    await ok(
      h,
      'POST',
      `/v1/applications/${applicationId}/scores`,
      { sub: expert, role: 'expert' },
      { score: 85 },
    );
  await ok(h, 'POST', `/v1/rounds/${roundId}/close`, CITY);
  const { publicity } = await ok(h, 'POST', `/v1/rounds/${roundId}/publicity`, CITY, {});
  await h.settle();
  return { roundId, applicationId, code, endsOn: publicity.endsOn };
}
