import { fold } from '../domain/shared/domain-event';
import { applicationDecider } from '../domain/application/application.decider';
import type { ApplicationEvent } from '../domain/application/application.events';
import type { MaterialRequirement } from '../domain/policies/policy-types';
import { readableMaterials } from './reach';

const code = '91320214MA1XYZ1234';
const events: ApplicationEvent[] = [
  {
    type: 'ApplicationCreated',
    data: {
      applicationId: 'a-1',
      roundId: 'r-1',
      programme: 'eaglet',
      policyVersion: 'eaglet/wuxi-2024',
      creditCode: code,
      jurisdiction: 'js.wuxi.xinwu',
      roundJurisdiction: 'js.wuxi',
      data: {},
    },
  },
  ...(['business-licence', 'ip-certificates'] as const).map((kind, i): ApplicationEvent => ({
    type: 'MaterialAttached',
    data: {
      materialId: `m-${i}`,
      kind,
      fileName: `${kind}.pdf`,
      mediaType: 'application/pdf',
      size: 1,
      sha256: 'a'.repeat(64),
    },
  })),
];
const requirements = (['business-licence', 'ip-certificates'] as const).map((kind): MaterialRequirement => ({
  kind,
  label: { zh: kind, en: kind },
  required: false,
  mediaTypes: ['application/pdf'],
  visibleToExperts: kind === 'ip-certificates',
}));
const drawn: ApplicationEvent = {
  type: 'ExpertPanelDrawn',
  data: {
    seed: 's',
    rules: { size: 1 } as never,
    candidates: [],
    excluded: [],
    experts: ['expert-on-panel'],
    dueOn: '2026-05-01',
  },
};

describe('who reads an application’s materials', () => {
  const state = fold(applicationDecider, [...events, drawn]);
  const kinds = (principal: Parameters<typeof readableMaterials>[0]) =>
    readableMaterials(principal, state, requirements).map((m) => m.kind);

  it('its enterprise, officers in reach and auditors read every kind', () => {
    expect(kinds({ sub: 'e', role: 'enterprise', org: code })).toHaveLength(2);
    expect(kinds({ sub: 'o', role: 'officer', jurisdiction: 'js.wuxi' })).toHaveLength(2);
    expect(kinds({ sub: 'a', role: 'auditor' })).toHaveLength(2);
  });

  it('an expert on the panel reads only the kinds visible to experts (blind review)', () => {
    expect(kinds({ sub: 'expert-on-panel', role: 'expert' })).toEqual(['ip-certificates']);
  });

  it('anyone else is told the application does not exist', () => {
    for (const principal of [
      { sub: 'x', role: 'enterprise' as const, org: '91320214MA1OTHER00' },
      { sub: 'o', role: 'officer' as const, jurisdiction: 'js.wuxi.liangxi' },
      { sub: 'expert-elsewhere', role: 'expert' as const },
    ]) {
      expect(() => readableMaterials(principal, state, requirements)).toThrow(
        expect.objectContaining({ kind: 'not-found' }),
      );
    }
  });
});
