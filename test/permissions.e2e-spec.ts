import {
  CALLER_KINDS,
  type CallerKind,
  PERMISSION_MATRIX,
  type PermissionRow,
  routeKey,
  UNLISTED_ROUTES,
} from '../apps/api/src/auth/permission-matrix';
import { servedRoutes } from '../apps/api/src/app.factory';
import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { type Fixture, Kit, SCENARIOS } from './permissions/scenarios';

/**
 * The permission matrix (apps/api/src/auth/permission-matrix.ts, docs/permissions.md) walked
 * cell by cell against the booted app, with real tokens: every endpoint, every kind of caller.
 * A route the app serves without a row fails here, and so does a row without a scenario.
 */
const OTHER_ENTERPRISE_JURISDICTION = 'js.wuxi.liangxi';

/** The officer of a kind, relative to the row's jurisdiction. */
function officerFor(kind: CallerKind, row: PermissionRow): Principal {
  const own = row.jurisdiction === '-' ? 'js.wuxi' : row.jurisdiction;
  const parent = own.split('.').slice(0, -1).join('.');
  const jurisdiction = {
    'officer:own': own,
    'officer:above': parent,
    'officer:below': `${own}.park`,
    'officer:other-branch': `${parent}.elsewhere`,
  }[kind as 'officer:own'];
  return { sub: `${kind}@${jurisdiction}`, role: 'officer', jurisdiction };
}

describe('permission matrix: every endpoint, every kind of caller', () => {
  let h: Harness;
  let kit: Kit;
  let otherEnterprise: Principal;

  function callerFor(kind: CallerKind, row: PermissionRow, f: Fixture): Principal | undefined {
    switch (kind) {
      case 'anonymous':
        return undefined;
      case 'enterprise:own':
        return f.owner;
      case 'enterprise:other':
        return otherEnterprise;
      case 'expert':
        return f.expert ?? { sub: 'expert-1', role: 'expert' };
      case 'auditor':
        return { sub: 'auditor-1', role: 'auditor' };
      case 'admin':
        return { sub: 'admin-1', role: 'admin' };
      default:
        return officerFor(kind, row);
    }
  }

  beforeAll(async () => {
    // The strict objection limit would refuse the matrix's own objections: lift it here.
    // The webhook rows register a loopback URL: allow it (public addresses only by default).
    h = await startApi({ env: { RATE_LIMIT_STRICT_MAX: '100000', WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1' } });
    kit = new Kit(h);
    // Registered elsewhere, so that reach, not absence, is what the "other" cells test.
    otherEnterprise = (await kit.registerEnterprise(OTHER_ENTERPRISE_JURISDICTION)).owner;
  }, 30_000);
  afterAll(async () => {
    await h.close();
  });

  it.each(PERMISSION_MATRIX.map((row) => [routeKey(row), row] as const))(
    '%s',
    async (key, row) => {
      const scenario = SCENARIOS[key];
      if (!scenario) throw new Error(`no scenario for ${key}: add one to test/permissions/scenarios.ts`);
      const mismatches: string[] = [];
      const setup = scenario.setup ?? ((k: Kit) => k.fixture());
      // A fixture is built again only after a call may have changed it: a read, or a refusal,
      // leaves the world as it was (nothing is appended), so the next caller meets the same
      // state a fresh fixture would give it. Building one per cell made this the slowest file.
      let f: Fixture | undefined;
      for (const kind of CALLER_KINDS) {
        f ??= await setup(kit);
        const res = await scenario.call(kit, f, callerFor(kind, row, f));
        if (row.method !== 'GET' && res.status < 400) f = undefined;
        const expected = row.expect[kind];
        if (res.status !== expected) {
          mismatches.push(`${kind}: expected ${expected}, got ${res.status} ${res.body?.code ?? ''}`.trim());
        }
        const check = scenario.fields?.[kind];
        if (check && res.status < 300) {
          try {
            check(res.body);
          } catch (error) {
            mismatches.push(`${kind}: ${(error as Error).message}`);
          }
        }
        // Refusals are in the contract's shape, and a 404 never says more than "not found".
        if (res.status >= 400 && res.status !== expected) continue;
        if (res.status >= 400) {
          expect(res.body).toMatchObject({
            statusCode: res.status,
            code: expect.stringMatching(/^[A-Z_]+$/),
          });
        }
      }
      expect(mismatches).toEqual([]);
    },
    90_000,
  );

  it('has a row for every route the app serves, and serves every row (a new endpoint without a row fails here)', () => {
    const served = new Set(
      servedRoutes(h.app)
        .filter(({ method }) => method !== 'HEAD' && method !== 'OPTIONS')
        .filter(({ url }) => !UNLISTED_ROUTES.some((u) => u.pattern.test(url)))
        .map(({ method, url }) => `${method} ${url}`),
    );
    const rows = new Set(PERMISSION_MATRIX.map(routeKey));
    expect({ servedWithoutRow: [...served].filter((r) => !rows.has(r)) }).toEqual({ servedWithoutRow: [] });
    expect({ rowNotServed: [...rows].filter((r) => !served.has(r)) }).toEqual({ rowNotServed: [] });
  });

  it('has a scenario for every row and no scenario without a row', () => {
    const rows = PERMISSION_MATRIX.map(routeKey);
    expect(rows.filter((key) => !SCENARIOS[key])).toEqual([]);
    expect(Object.keys(SCENARIOS).filter((key) => !rows.includes(key))).toEqual([]);
  });
});
