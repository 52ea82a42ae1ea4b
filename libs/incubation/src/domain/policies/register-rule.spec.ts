import { evaluateEligibility, registersNamed } from './evaluate';
import { buildPolicy, policyProblems, rule, withCriteria } from './policy.fixtures';
import type { RegisterEvidence } from './policy-types';

const HIGH_TECH = rule('high-tech', { register: ['national-high-tech', 'provincial-cultivation'] });
const entry = (over: Partial<RegisterEvidence> = {}): RegisterEvidence => ({
  register: 'national-high-tech',
  version: 'a'.repeat(64),
  importedOn: '2021-02-20',
  creditCode: '91320214MA1XK0001X',
  name: '无锡甲科技有限公司',
  certificateNumber: 'GR202032001234',
  validFrom: '2020-12-02',
  validUntil: '2023-12-01',
  ...over,
});
const judge = (registers: RegisterEvidence[]) =>
  evaluateEligibility(buildPolicy([HIGH_TECH]), {
    enterprise: { creditCode: '91320214MA1XK0001X', establishedOn: '2015-01-01' },
    data: {},
    applicationDate: '2025-03-10',
    registers,
  }).checks[0];

describe('a rule requiring a register entry', () => {
  it('passes on a valid entry and cites register, certificate, validity and version', () => {
    const check = judge([entry({ validUntil: '2026-12-01' })]);
    expect(check).toMatchObject({ passed: true, kind: 'register', hard: true });
    expect(check.actual).toBe(
      `国家高新技术企业名录 证书编号 GR202032001234，有效期 2020-12-02 至 2026-12-01（名录版本 sha256:${'a'.repeat(12)}，2021-02-20 导入）`,
    );
    expect(check.required).toBe('国家高新技术企业名录 或 省高新技术企业培育库 有效条目（申请日 2025-03-10）');
  });

  it('fails on an expired entry (citing it) and on no entry; a declaration does not stand in', () => {
    expect(judge([entry()])).toMatchObject({
      passed: false,
      actual: expect.stringMatching(/^不在有效期内：.*2023-12-01/),
    });
    expect(judge([])).toMatchObject({ passed: false, actual: '名录中无此企业 (no entry)' });
    expect(judge([entry({ register: 'tech-sme', validUntil: '2026-12-31' })]).passed).toBe(false);
  });

  it('is validated by the schema and named for the lookup', () => {
    expect(policyProblems(withCriteria([rule('x', { register: 'national-hightech' })]))).toEqual([
      expect.stringContaining('unknown register "national-hightech"'),
    ]);
    expect(
      registersNamed(
        buildPolicy([rule('any', { any: [HIGH_TECH, rule('sme', { register: 'tech-sme' })] })]).criteria,
      ),
    ).toEqual(['national-high-tech', 'provincial-cultivation', 'tech-sme']);
  });
});
