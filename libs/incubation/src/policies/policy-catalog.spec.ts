import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PROGRAMMES } from '../domain/policies/policy-types';
import {
  loadPolicyCatalog,
  parsePolicyFile,
  PolicyCatalog,
  PolicyCatalogError,
  summarizePolicy,
  UnknownPolicyVersionError,
} from './policy-catalog';

const REPOSITORY_POLICIES = resolve(__dirname, '../../../../policies');
const EAGLET_TEXT = readFileSync(join(REPOSITORY_POLICIES, 'eaglet/wuxi-2024.yaml'), 'utf8');

let workspace: string;
let policiesDir: string;

beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'policy-catalog-'));
  policiesDir = join(workspace, 'policies');
  mkdirSync(policiesDir);
});

afterEach(() => rmSync(workspace, { recursive: true, force: true }));

function write(relativePath: string, text: string): void {
  const file = join(policiesDir, relativePath);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof PolicyCatalogError) return error.problems;
    throw error;
  }
  throw new Error('expected the catalogue to refuse the policies');
}

describe('the policy catalogue', () => {
  describe("given the repository's policies/", () => {
    const catalog = loadPolicyCatalog(REPOSITORY_POLICIES);

    it('when loaded, then every programme has a default policy and tech-retrofit has two versions', () => {
      expect(catalog.list().map((p) => p.id)).toEqual([
        'eaglet/wuxi-2020',
        'eaglet/wuxi-2024',
        'gazelle/wuxi-2020',
        'quasi-unicorn/wuxi-2020',
        'quasi-unicorn/wuxi-2024',
        'little-giant/miit-2022',
        'tech-retrofit/xiamen-2020',
        'tech-retrofit/xiamen-2022',
      ]);
    });

    it('when their materials are read, then each requires what its rounds ask (the R&D audit only where R&D is a must)', () => {
      const required = Object.fromEntries(
        catalog
          .list()
          .map((p) => [p.id, (p.requiredMaterials ?? []).filter((m) => m.required).map((m) => m.kind)]),
      );
      const usual = ['business-licence', 'audit-report', 'commitment-letter'];
      const withRdAudit = ['business-licence', 'audit-report', 'rd-expense-audit', 'commitment-letter'];
      expect(required).toEqual({
        'eaglet/wuxi-2020': usual,
        'eaglet/wuxi-2024': withRdAudit,
        'gazelle/wuxi-2020': usual,
        'quasi-unicorn/wuxi-2020': usual,
        'quasi-unicorn/wuxi-2024': usual,
        'little-giant/miit-2022': withRdAudit,
        'tech-retrofit/xiamen-2020': usual,
        'tech-retrofit/xiamen-2022': usual,
      });
    });

    it('when the Wuxi versions in force on 2021-03-01 are asked, then the earlier rules answer', () => {
      expect(catalog.inForce('eaglet', '2021-03-01', 'js.wuxi.xinwu')?.id).toBe('eaglet/wuxi-2020');
      expect(catalog.inForce('quasi-unicorn', '2021-03-01', 'js.wuxi.xinwu')?.id).toBe(
        'quasi-unicorn/wuxi-2020',
      );
      expect(catalog.inForce('eaglet', '2025-01-01', 'js.wuxi.xinwu')?.id).toBe('eaglet/wuxi-2024');
    });

    it.each(PROGRAMMES)(
      'when the %s version in force on 2025-06-01 is asked, then there is one',
      (programme) => {
        const where = programme === 'tech-retrofit' ? 'fj.xiamen.huli' : 'js.wuxi.xinwu';
        expect(catalog.inForce(programme, '2025-06-01', where)?.programme).toBe(programme);
      },
    );

    it.each([
      ['2019-12-31', undefined],
      ['2020-01-01', 'tech-retrofit/xiamen-2020'],
      ['2021-12-31', 'tech-retrofit/xiamen-2020'],
      ['2022-01-01', 'tech-retrofit/xiamen-2022'],
      ['2026-11-22', 'tech-retrofit/xiamen-2022'],
    ])('when the tech-retrofit version in force on %s is asked, then it is %s', (date, id) => {
      expect(catalog.inForce('tech-retrofit', date, 'fj.xiamen')?.id).toBe(id);
    });

    it('when a version is got by id, then it carries its document number and workflow settings', () => {
      const policy = catalog.get('little-giant/miit-2022');
      expect(policy.documentNumber).toBe('工信部企业〔2022〕63号');
      expect(policy.workflow.reviewStages).toEqual(['district', 'city', 'expert-panel', 'ministry']);
      expect(policy.workflow.annualReportDue).toBe('04-30');
    });

    it('when an unknown version is got, then it is refused by name', () => {
      expect(() => catalog.get('eaglet/wuxi-1999')).toThrow(UnknownPolicyVersionError);
      expect(catalog.find('eaglet/wuxi-1999')).toBeUndefined();
    });

    it('when summarised for GET /v1/programmes, then the contract fields are there', () => {
      expect(summarizePolicy(catalog.get('eaglet/wuxi-2024'))).toMatchObject({
        code: 'eaglet',
        policyVersion: 'eaglet/wuxi-2024',
        documentNumber: '锡科规〔2024〕218号',
        effectiveFrom: '2025-01-01',
        publicityWorkingDays: 10,
      });
    });
  });

  describe('given a policy file with a mistake, when loaded, then boot is refused naming the file and the field', () => {
    it('a misspelt measure', () => {
      write(
        'eaglet/wuxi-2024.yaml',
        EAGLET_TEXT.replace('measure: rdShareOfRevenue', 'measure: rdShareOfRevenu'),
      );
      expect(problemsOf(() => loadPolicyCatalog(policiesDir))).toEqual([
        'policies/eaglet/wuxi-2024.yaml: criteria.all[2].measure: unknown measure "rdShareOfRevenu" (did you mean "rdShareOfRevenue"?)',
      ]);
    });

    it('a misspelt field name', () => {
      write('eaglet/wuxi-2024.yaml', EAGLET_TEXT.replace('atMost: 20000000', 'atMots: 20000000'));
      expect(problemsOf(() => loadPolicyCatalog(policiesDir))).toContain(
        'policies/eaglet/wuxi-2024.yaml: criteria.all[1].atMots: unknown field "atMots" (did you mean "atMost"?)',
      );
    });

    it('a misspelt workflow setting', () => {
      write('eaglet/wuxi-2024.yaml', EAGLET_TEXT.replace('banYearsAfterFraud: 3', 'banYearAfterFraud: 3'));
      expect(problemsOf(() => loadPolicyCatalog(policiesDir)).sort()).toEqual([
        'policies/eaglet/wuxi-2024.yaml: workflow.banYearAfterFraud: unknown field "banYearAfterFraud" (did you mean "banYearsAfterFraud"?)',
        'policies/eaglet/wuxi-2024.yaml: workflow.banYearsAfterFraud: Invalid input: expected number, received undefined',
      ]);
    });

    it('broken YAML, with the line and column', () => {
      write('eaglet/wuxi-2024.yaml', 'id: eaglet/wuxi-2024\nname: { zh: x\n');
      const [problem] = problemsOf(() => loadPolicyCatalog(policiesDir));
      expect(problem).toMatch(/^policies\/eaglet\/wuxi-2024\.yaml:\d+:\d+: /);
    });

    it('a key written twice', () => {
      write(
        'eaglet/wuxi-2024.yaml',
        EAGLET_TEXT.replace('programme: eaglet', 'programme: eaglet\nprogramme: gazelle'),
      );
      expect(problemsOf(() => loadPolicyCatalog(policiesDir))[0]).toMatch(
        /^policies\/eaglet\/wuxi-2024\.yaml:\d+:\d+: Map keys must be unique/,
      );
    });

    it('a comma inside an unquoted { } label, with a hint', () => {
      write(
        'eaglet/wuxi-2024.yaml',
        EAGLET_TEXT.replace(
          'label: { zh: 属于战略性新兴产业领域, en: In a strategic emerging industry }',
          'label: { zh: 属于战略性新兴产业领域, en: In a strategic, emerging industry }',
        ),
      );
      expect(problemsOf(() => loadPolicyCatalog(policiesDir))).toContain(
        'policies/eaglet/wuxi-2024.yaml: criteria.all[4].any[2].all[0].label.emerging industry: unknown field "emerging industry" (text containing a comma inside { } must be put in quotes)',
      );
    });

    it('an id that does not match the file', () => {
      write('eaglet/wuxi-2025.yaml', EAGLET_TEXT);
      expect(problemsOf(() => loadPolicyCatalog(policiesDir))).toEqual([
        'policies/eaglet/wuxi-2025.yaml: id: is "eaglet/wuxi-2024" but the file\'s place says "eaglet/wuxi-2025"',
      ]);
    });

    it('a folder that is not a programme, and a file outside any folder', () => {
      write('eaglets/wuxi-2024.yaml', EAGLET_TEXT);
      write('wuxi-2024.yaml', EAGLET_TEXT);
      expect(problemsOf(() => loadPolicyCatalog(policiesDir))).toEqual([
        'policies/eaglets: not a programme (expected one of eaglet, gazelle, quasi-unicorn, little-giant, tech-retrofit)',
        'policies/wuxi-2024.yaml: policy files go in a folder named after the programme',
      ]);
    });

    it('every problem of every file at once', () => {
      write(
        'eaglet/wuxi-2024.yaml',
        EAGLET_TEXT.replace('measure: rdShareOfRevenue', 'measure: rdShareOfRevenu'),
      );
      write('gazelle/wuxi-2020.yaml', 'id: gazelle/wuxi-2020\n');
      const problems = problemsOf(() => loadPolicyCatalog(policiesDir));
      expect(problems.filter((p) => p.startsWith('policies/eaglet/'))).toHaveLength(1);
      expect(problems.filter((p) => p.startsWith('policies/gazelle/')).length).toBeGreaterThan(5);
    });
  });

  describe('given versions of one programme', () => {
    const version = (id: string, from: string, to: string | null) =>
      EAGLET_TEXT.replace('id: eaglet/wuxi-2024', `id: eaglet/${id}`)
        .replace("effectiveFrom: '2025-01-01'", `effectiveFrom: '${from}'`)
        .replace('effectiveTo: null', `effectiveTo: ${to === null ? 'null' : `'${to}'`}`);

    it('when they overlap in time, then the later is refused: only one may be in force on a day', () => {
      write('eaglet/wuxi-2020.yaml', version('wuxi-2020', '2020-01-01', null));
      write('eaglet/wuxi-2024.yaml', version('wuxi-2024', '2025-01-01', null));
      expect(problemsOf(() => loadPolicyCatalog(policiesDir))).toEqual([
        'policies/eaglet/wuxi-2024.yaml: effectiveFrom: 2025-01-01 overlaps eaglet/wuxi-2020 of the same issuer js.wuxi (in force 2020-01-01 to open-ended); close the earlier version with effectiveTo before this one starts',
      ]);
    });

    it('when one ends the day before the next begins, then each date finds exactly one', () => {
      write('eaglet/wuxi-2020.yaml', version('wuxi-2020', '2020-01-01', '2024-12-31'));
      write('eaglet/wuxi-2024.yaml', version('wuxi-2024', '2025-01-01', null));
      const catalog = loadPolicyCatalog(policiesDir);
      expect(catalog.inForce('eaglet', '2024-12-31', 'js.wuxi')?.id).toBe('eaglet/wuxi-2020');
      expect(catalog.inForce('eaglet', '2025-01-01', 'js.wuxi')?.id).toBe('eaglet/wuxi-2024');
      expect(catalog.inForce('gazelle', '2025-01-01', 'js.wuxi')).toBeUndefined();
      expect(catalog.versionsOf('eaglet').map((p) => p.id)).toEqual(['eaglet/wuxi-2020', 'eaglet/wuxi-2024']);
    });
  });

  describe('given versions of one programme by different issuers (a city, its province, the ministry)', () => {
    const issued = (id: string, jurisdiction: string, from: string) =>
      EAGLET_TEXT.replace('id: eaglet/wuxi-2024', `id: eaglet/${id}`)
        .replace('jurisdiction: js.wuxi', `jurisdiction: ${jurisdiction}`)
        .replace("effectiveFrom: '2025-01-01'", `effectiveFrom: '${from}'`);

    beforeEach(() => {
      write('eaglet/wuxi-2024.yaml', EAGLET_TEXT);
      write('eaglet/xiamen-2023.yaml', issued('xiamen-2023', 'fj.xiamen', '2023-01-01'));
      write('eaglet/jiangsu-2022.yaml', issued('jiangsu-2022', 'js', '2022-01-01'));
      write('eaglet/national-2021.yaml', issued('national-2021', 'cn', '2021-01-01'));
    });

    it('when two cities both have a version in force, then both load: they do not overlap each other', () => {
      const catalog = loadPolicyCatalog(policiesDir);
      expect(catalog.allInForce('eaglet', '2025-06-01').map((p) => p.id)).toEqual([
        'eaglet/national-2021',
        'eaglet/jiangsu-2022',
        'eaglet/xiamen-2023',
        'eaglet/wuxi-2024',
      ]);
    });

    it.each([
      ['fj.xiamen', '2025-06-01', 'eaglet/xiamen-2023'],
      ['fj.xiamen.huli', '2025-06-01', 'eaglet/xiamen-2023'],
      ['js.wuxi', '2025-06-01', 'eaglet/wuxi-2024'],
      ['js.wuxi.xinwu', '2025-06-01', 'eaglet/wuxi-2024'],
      ['js.wuxi.xinwu', '2024-06-01', 'eaglet/jiangsu-2022'], // Wuxi's own not yet in force: the province's
      ['js.suzhou', '2025-06-01', 'eaglet/jiangsu-2022'],
      ['sd.weihai', '2025-06-01', 'eaglet/national-2021'],
      ['fj.xiamen', '2022-06-01', 'eaglet/national-2021'],
      ['sd.weihai', '2020-06-01', undefined],
    ])(
      'when a round of %s opens on %s, then it takes %s (the nearest issuer above it)',
      (where, date, id) => {
        expect(loadPolicyCatalog(policiesDir).inForce('eaglet', date, where)?.id).toBe(id);
      },
    );

    it('when an issuer is only a prefix of the jurisdiction’s name, then it does not govern it', () => {
      write('eaglet/wuxi-2024.yaml', EAGLET_TEXT.replace('jurisdiction: js.wuxi', 'jurisdiction: js.wu'));
      expect(loadPolicyCatalog(policiesDir).inForce('eaglet', '2025-06-01', 'js.wuxi')?.id).toBe(
        'eaglet/jiangsu-2022',
      );
    });
  });

  it('given no directory, or an empty one, when loaded, then boot is refused', () => {
    expect(problemsOf(() => loadPolicyCatalog(join(workspace, 'nowhere')))[0]).toContain('no such directory');
    expect(problemsOf(() => loadPolicyCatalog(policiesDir))[0]).toContain('no policy files');
  });

  it('given policies already parsed, when two share an id, then the catalogue refuses them', () => {
    const parsed = parsePolicyFile('x.yaml', EAGLET_TEXT);
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    expect(() => PolicyCatalog.of([parsed.policy, parsed.policy])).toThrow(PolicyCatalogError);
  });

  it('given a copy of the repository policies in another place, when loaded, then the messages name that folder', () => {
    const elsewhere = join(workspace, 'bureau-drafts');
    cpSync(REPOSITORY_POLICIES, elsewhere, { recursive: true });
    writeFileSync(
      join(elsewhere, 'gazelle/wuxi-2020.yaml'),
      readFileSync(join(elsewhere, 'gazelle/wuxi-2020.yaml'), 'utf8').replace('bandBy:', 'bandby:'),
    );
    expect(problemsOf(() => loadPolicyCatalog(elsewhere))[0]).toMatch(
      /^bureau-drafts\/gazelle\/wuxi-2020\.yaml: criteria\.all\[1\]\.any\[0\]\.all\[1\]/,
    );
  });
});
