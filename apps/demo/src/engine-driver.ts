import type { Principal } from '@engine/platform';
import { SAMPLE_MATERIAL_PDF } from './sample-material';

/** How the driver reaches the engine: an HTTP call as a principal (in-process inject, or fetch). */
export type Call = (
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  options?: { as?: Principal; body?: unknown; form?: FormData },
) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const admin: Principal = { sub: 'admin-demo', role: 'admin' };
export const officerOf = (jurisdiction: string): Principal => ({
  sub: `officer-${jurisdiction}`,
  role: 'officer',
  jurisdiction,
});
export const enterpriseOf = (code: string): Principal => ({
  sub: `ent-${code}`,
  role: 'enterprise',
  org: code,
});
export const expertOf = (id: string): Principal => ({ sub: id, role: 'expert' });

export class DriverError extends Error {}

/**
 * Walks applications through the engine over its HTTP API, the way officers, enterprises and
 * experts would. Used by the demo (`npm run demo`) and the end-to-end workflow tests.
 */
export class EngineDriver {
  constructor(private readonly call: Call) {}

  async expect(
    status: number,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    options?: { as?: Principal; body?: unknown; form?: FormData },
  ) {
    const res = await this.call(method, url, options);
    if (res.status !== status) {
      throw new DriverError(
        `${method} ${url}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  }

  registerEnterprise(e: { creditCode: string; name: string; jurisdiction: string; establishedOn: string }) {
    return this.expect(201, 'POST', '/v1/enterprises', { as: enterpriseOf(e.creditCode), body: e });
  }

  async openRound(r: {
    programme: string;
    year: number;
    batch: number;
    title: string;
    jurisdiction: string;
    opensAt: string;
    closesAt: string;
  }) {
    const body = await this.expect(201, 'POST', '/v1/rounds', { as: officerOf(r.jurisdiction), body: r });
    return body.id as string;
  }

  /** Creates and submits; returns the application id. */
  async apply(creditCode: string, roundId: string, data: unknown): Promise<string> {
    const as = enterpriseOf(creditCode);
    const created = await this.expect(201, 'POST', '/v1/applications', {
      as,
      body: { roundId, creditCode, data },
    });
    await this.attachRequiredMaterials(created.id, as);
    await this.expect(200, 'POST', `/v1/applications/${created.id}/submit`, { as });
    return created.id;
  }

  /**
   * Attaches one small PDF for each material the application's policy requires and it still
   * lacks (submit is refused without them). The same bytes each time: stored once.
   */
  async attachRequiredMaterials(id: string, as: Principal) {
    const { missing } = await this.expect(200, 'GET', `/v1/applications/${id}/materials`, { as });
    await this.attachSamples(
      id,
      as,
      (missing as { kind: string }[]).map((m) => m.kind),
    );
  }

  /** Attaches the sample PDF as each of `kinds` (what the materials list says is missing). */
  async attachSamples(id: string, as: Principal, kinds: readonly string[]) {
    for (const kind of kinds) {
      const form = new FormData();
      form.append('kind', kind);
      form.append('file', new Blob([SAMPLE_MATERIAL_PDF], { type: 'application/pdf' }), `${kind}.pdf`);
      await this.expect(201, 'POST', `/v1/applications/${id}/materials`, { as, form });
    }
  }

  /** District recommends, city accepts for expert review. */
  async passReviews(id: string, district: string, city: string) {
    await this.expect(200, 'POST', `/v1/applications/${id}/reviews`, {
      as: officerOf(district),
      body: { stage: 'district', decision: 'recommend', reason: '材料齐全，同意推荐' },
    });
    await this.expect(200, 'POST', `/v1/applications/${id}/reviews`, {
      as: officerOf(city),
      body: { stage: 'city', decision: 'recommend', reason: '形式审查通过' },
    });
  }

  /** Registers `count` experts (`financial` of them in finance) with ids `<prefix>-<n>`. */
  async registerExperts(
    prefix: string,
    count: number,
    financial: number,
    affiliations: (n: number) => string[] = () => [],
  ) {
    for (let n = 1; n <= count; n++) {
      await this.expect(201, 'POST', '/v1/experts', {
        as: admin,
        body: {
          id: `${prefix}-${n}`,
          name: `专家${n}`,
          field: n <= financial ? 'finance' : 'engineering',
          affiliations: affiliations(n),
        },
      });
    }
  }

  async drawPanel(id: string, city: string): Promise<string[]> {
    const body = await this.expect(200, 'POST', `/v1/applications/${id}/panel`, {
      as: officerOf(city),
      body: {},
    });
    return body.experts;
  }

  async score(id: string, expertId: string, score: number) {
    return this.expect(200, 'POST', `/v1/applications/${id}/scores`, {
      as: expertOf(expertId),
      body: { score },
    });
  }

  async scoreAll(id: string, experts: string[], scores: number | number[]) {
    let last: { status: string } | undefined;
    for (const [i, expertId] of experts.entries()) {
      last = await this.score(id, expertId, Array.isArray(scores) ? scores[i] : scores);
    }
    return last!.status;
  }

  async closeRound(roundId: string, city: string) {
    return this.expect(200, 'POST', `/v1/rounds/${roundId}/close`, { as: officerOf(city) });
  }

  async publicise(roundId: string, city: string, startsOn?: string) {
    const body = await this.expect(200, 'POST', `/v1/rounds/${roundId}/publicity`, {
      as: officerOf(city),
      body: startsOn ? { startsOn } : {},
    });
    return body.publicity as { startsOn: string; endsOn: string };
  }

  async status(id: string, as: Principal = { sub: 'auditor-demo', role: 'auditor' }) {
    return (await this.expect(200, 'GET', `/v1/applications/${id}`, { as })).status as string;
  }

  async application(id: string) {
    return this.expect(200, 'GET', `/v1/applications/${id}`, {
      as: { sub: 'auditor-demo', role: 'auditor' },
    });
  }

  /** An approved tech-retrofit project's financing terms and interest subsidy schedule. */
  async financing(id: string) {
    return this.expect(200, 'GET', `/v1/applications/${id}/financing`, {
      as: { sub: 'auditor-demo', role: 'auditor' },
    });
  }

  async round(roundId: string) {
    return this.expect(200, 'GET', `/v1/rounds/${roundId}`, { as: { sub: 'auditor-demo', role: 'auditor' } });
  }

  async list(roundId: string, stage: 'proposed' | 'final', asOf?: string) {
    const q = `stage=${stage}${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ''}`;
    return this.expect(200, 'GET', `/v1/rounds/${roundId}/list?${q}`, {
      as: { sub: 'auditor-demo', role: 'auditor' },
    });
  }

  async memberships(query = '') {
    return this.expect(200, 'GET', `/v1/memberships${query}`, {
      as: { sub: 'auditor-demo', role: 'auditor' },
    });
  }
}
