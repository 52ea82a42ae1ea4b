import { DomainError } from '../shared/domain-error';
import { fold } from '../shared/domain-event';
import type { MaterialRequirement } from '../policies/policy-types';
import {
  applicationDecider,
  attachMaterial,
  missingMaterials,
  removeMaterial,
  submitApplication,
} from './application.decider';
import type { ApplicationEvent, EligibilityRecord, MaterialAttachedData } from './application.events';

const created: ApplicationEvent = {
  type: 'ApplicationCreated',
  data: {
    applicationId: 'a-1',
    roundId: 'r-1',
    programme: 'eaglet',
    policyVersion: 'eaglet/wuxi-2024',
    creditCode: '91320214MA1XYZ1234',
    jurisdiction: 'js.wuxi.xinwu',
    roundJurisdiction: 'js.wuxi',
    data: {},
  },
};
const requirements: MaterialRequirement[] = [
  {
    kind: 'business-licence',
    label: { zh: '营业执照', en: 'Business licence' },
    required: true,
    mediaTypes: ['application/pdf', 'image/jpeg'],
    visibleToExperts: false,
  },
  {
    kind: 'ip-certificates',
    label: { zh: '知识产权证书', en: 'IP certificates' },
    required: false,
    mediaTypes: ['application/pdf'],
    visibleToExperts: true,
  },
];
const limits = { requirements, maxFileBytes: 1000, maxApplicationBytes: 1500 };
const material = (over: Partial<MaterialAttachedData> = {}): MaterialAttachedData => ({
  materialId: 'm-1',
  kind: 'business-licence',
  fileName: '营业执照.pdf',
  mediaType: 'application/pdf',
  size: 800,
  sha256: 'a'.repeat(64),
  ...over,
});
const eligible = { eligible: true, checks: [] } as unknown as EligibilityRecord;
const state = (...events: ApplicationEvent[]) => fold(applicationDecider, [created, ...events]);
const refusal = (act: () => unknown) => {
  try {
    act();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('not refused');
};

describe('application materials', () => {
  it('given a draft, when a file of a listed kind is attached, then MaterialAttached names it by digest', () => {
    expect(attachMaterial(state(), material(), limits)).toEqual([
      { type: 'MaterialAttached', data: material() },
    ]);
  });

  it('given the files attached, when folded, then the state lists them until one is removed', () => {
    const attached: ApplicationEvent = { type: 'MaterialAttached', data: material() };
    const second: ApplicationEvent = {
      type: 'MaterialAttached',
      data: material({ materialId: 'm-2', kind: 'ip-certificates' }),
    };
    expect(state(attached, second).materials?.map((m) => m.materialId)).toEqual(['m-1', 'm-2']);
    const [removed] = removeMaterial(state(attached, second), 'm-1');
    expect(removed).toEqual({
      type: 'MaterialRemoved',
      data: { materialId: 'm-1', kind: 'business-licence', fileName: '营业执照.pdf', sha256: 'a'.repeat(64) },
    });
    expect(state(attached, second, removed).materials?.map((m) => m.materialId)).toEqual(['m-2']);
  });

  it('refuses a kind the policy does not list (422), a type the kind does not take (415), and sizes over the limits (413)', () => {
    expect(refusal(() => attachMaterial(state(), material({ kind: 'passport' }), limits))).toMatchObject({
      kind: 'rule',
      code: 'MATERIAL_KIND_UNKNOWN',
    });
    expect(
      refusal(() =>
        attachMaterial(state(), material({ kind: 'ip-certificates', mediaType: 'image/png' }), limits),
      ),
    ).toMatchObject({ kind: 'unsupported', code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(refusal(() => attachMaterial(state(), material({ size: 1001 }), limits))).toMatchObject({
      kind: 'too-large',
      code: 'FILE_TOO_LARGE',
    });
    const one: ApplicationEvent = { type: 'MaterialAttached', data: material() };
    expect(refusal(() => attachMaterial(state(one), material({ materialId: 'm-2' }), limits))).toMatchObject({
      kind: 'too-large',
      code: 'APPLICATION_MATERIALS_TOO_LARGE',
    });
  });

  it('changes materials only while draft or returned (409), and a removed id is not found (404)', () => {
    const submitted: ApplicationEvent = {
      type: 'ApplicationSubmitted',
      data: { data: {}, eligibility: eligible, policyVersion: 'eaglet/wuxi-2024', resubmission: false },
    };
    const attached: ApplicationEvent = { type: 'MaterialAttached', data: material() };
    expect(refusal(() => attachMaterial(state(submitted), material(), limits))).toMatchObject({
      kind: 'conflict',
      code: 'NOT_EDITABLE',
    });
    expect(refusal(() => removeMaterial(state(attached, submitted), 'm-1'))).toMatchObject({
      code: 'NOT_EDITABLE',
    });
    expect(refusal(() => removeMaterial(state(), 'm-1'))).toMatchObject({ kind: 'not-found' });
    const returned: ApplicationEvent = {
      type: 'ApplicationReturned',
      data: { stage: 'district', reason: '补充营业执照', respondBy: '2026-04-01' },
    };
    expect(attachMaterial(state(submitted, returned), material(), limits)).toHaveLength(1);
  });

  it('refuses submit while a required kind has no file (422 listing it), and accepts it once attached', () => {
    const context = {
      withinWindow: true,
      eligibility: eligible,
      today: '2026-03-10',
      requiredMaterials: requirements,
    };
    expect(missingMaterials(state(), requirements).map((r) => r.kind)).toEqual(['business-licence']);
    expect(refusal(() => submitApplication(state(), context))).toMatchObject({
      kind: 'rule',
      code: 'MATERIALS_MISSING',
      details: { missing: [{ kind: 'business-licence', label: { zh: '营业执照', en: 'Business licence' } }] },
    });
    const attached: ApplicationEvent = { type: 'MaterialAttached', data: material() };
    expect(submitApplication(state(attached), context)[0].type).toBe('ApplicationSubmitted');
  });
});
