import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@engine/platform';
import { claimsMappingSchema, externalAccount, loadClaimsMapping, mapClaims } from './oidc';

const mapping = claimsMappingSchema.parse({
  rules: [
    {
      when: { claim: 'groups', contains: 'xinwu-science-bureau' },
      role: 'officer',
      jurisdiction: 'js.wuxi.xinwu',
    },
    {
      when: { claim: 'org_type', equals: 'bureau' },
      role: 'officer',
      jurisdictionClaim: 'division',
      jurisdictionMap: { '320214': 'js.wuxi.xinwu', '320200': 'js.wuxi' },
    },
    {
      when: [
        { claim: 'uscc', present: true },
        { claim: 'acr', equals: 'legal-person' },
      ],
      role: 'enterprise',
      orgClaim: 'uscc',
    },
    { when: { claim: 'roles', contains: 'auditor' }, role: 'auditor' },
  ],
});

describe('OIDC claims mapping (configuration, not code)', () => {
  it('maps a group to an officer of js.wuxi.xinwu', () => {
    expect(
      mapClaims(mapping, { sub: 'u1', name: '王新吴', groups: ['staff', 'xinwu-science-bureau'] }),
    ).toEqual({
      scope: { role: 'officer', jurisdiction: 'js.wuxi.xinwu' },
      name: '王新吴',
    });
  });

  it('takes a jurisdiction from a claim through a table, and skips a rule whose value is not in it', () => {
    expect(mapClaims(mapping, { sub: 'u2', org_type: 'bureau', division: '320200' })?.scope).toEqual({
      role: 'officer',
      jurisdiction: 'js.wuxi',
    });
    expect(mapClaims(mapping, { sub: 'u3', org_type: 'bureau', division: '110000' })).toBeUndefined();
  });

  it('makes an enterprise only with a valid credit code and every condition holding', () => {
    const code = '91320214MA1XK0001X';
    // A wrong check character (X is right): not an enterprise.
    expect(
      mapClaims(mapping, { sub: 'e1', uscc: '91320214MA1XK00010', acr: 'legal-person' }),
    ).toBeUndefined();
    expect(mapClaims(mapping, { sub: 'e1', uscc: code, acr: 'agent' })).toBeUndefined();
    const good = mapClaims(mapping, { sub: 'e1', uscc: code, acr: 'legal-person', preferred_username: 'xk' });
    expect(good).toEqual({ scope: { role: 'enterprise', org: code }, name: 'xk' });
  });

  it('refuses anyone no rule maps, and falls back to preferred_username or sub for the name', () => {
    expect(mapClaims(mapping, { sub: 'v', groups: ['visitors'] })).toBeUndefined();
    expect(mapClaims(mapping, { sub: 'a1', roles: 'auditor', preferred_username: 'audit-li' })).toEqual({
      scope: { role: 'auditor' },
      name: 'audit-li',
    });
  });

  it('rejects a mapping file with unknown keys or a bad jurisdiction', () => {
    expect(
      claimsMappingSchema.safeParse({
        rules: [{ when: { claim: 'g' }, role: 'officer', jurisdiction: 'JS WUXI' }],
      }).success,
    ).toBe(false);
    expect(
      claimsMappingSchema.safeParse({ rules: [{ when: { claim: 'g' }, role: 'admin', extra: 1 }] }).success,
    ).toBe(false);
  });

  it('derives an opaque account id from issuer and subject', () => {
    const a = externalAccount('https://idp.js.gov.cn', '320102199001011234');
    expect(a.accountId).toMatch(/^oidc-[0-9a-f]{24}$/);
    expect(a.accountId).not.toContain('1990');
    expect(externalAccount('https://other.example', '320102199001011234').accountId).not.toBe(a.accountId);
  });

  it('reads a YAML mapping file, and reports a bad one as configuration (exit 78)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oidc-map-'));
    try {
      writeFileSync(
        join(dir, 'ok.yaml'),
        'rules:\n  - when: { claim: groups, contains: a }\n    role: auditor\n',
      );
      expect(loadClaimsMapping(join(dir, 'ok.yaml')).rules[0].role).toBe('auditor');
      writeFileSync(join(dir, 'bad.yaml'), 'rules:\n  - when: { claim: groups }\n    role: king\n');
      expect(() => loadClaimsMapping(join(dir, 'bad.yaml'))).toThrow(ConfigError);
      expect(() => loadClaimsMapping(join(dir, 'missing.yaml'))).toThrow(ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
