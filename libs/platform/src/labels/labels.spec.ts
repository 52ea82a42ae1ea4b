import type { ApplicationStatus } from '@engine/incubation/domain/application/application.decider';
import type {
  ApplicationEvent,
  RejectionStage,
  ReviewDecision,
} from '@engine/incubation/domain/application/application.events';
import type { EnterpriseEvent } from '@engine/incubation/domain/enterprise/enterprise.events';
import { FUND_EVENT_TYPES, type FundEvent } from '@engine/incubation/domain/fund/fund.events';
import type { ExpertPoolEvent } from '@engine/incubation/domain/expert-pool/expert-pool.events';
import type { MembershipStatus } from '@engine/incubation/domain/membership/membership.decider';
import { EXIT_REASONS, type MembershipEvent } from '@engine/incubation/domain/membership/membership.events';
import { applicationDataObjectSchema } from '@engine/incubation/domain/policies/application-data';
import { PROGRAMMES } from '@engine/incubation/domain/policies/policy-types';
import type { RoundStatus } from '@engine/incubation/domain/round/round.decider';
import type { RoundEvent } from '@engine/incubation/domain/round/round.events';
import { APPLICATION_EVENT_TYPES } from '@engine/read-models/projections/applications.projection';
import { ENTERPRISE_EVENT_TYPES } from '@engine/read-models/projections/enterprises.projection';
import { MEMBERSHIP_EVENT_TYPES } from '@engine/read-models/projections/memberships.projection';
import { ROUND_EVENT_TYPES } from '@engine/read-models/projections/rounds.projection';
import { TIMER_EVENT_TYPES, type TimerEvent } from '@engine/workflow/timers/timer.events';
import { ROLES } from '../auth/principal';
import { LABEL_GROUPS, LABELS, label, type LabelCode, LOCALES } from './labels';

/**
 * Compile-time half: `tsc` (in `npm run lint`) fails here when the code defines a status, stage,
 * decision or persisted event type that the catalogue has no label for.
 */
type Missing<Codes extends string, G extends Parameters<typeof label>[0]> = Exclude<Codes, LabelCode<G>>;
type None<T> = [T] extends [never] ? true : T;
type Persisted =
  | ApplicationEvent['type']
  | RoundEvent['type']
  | EnterpriseEvent['type']
  | MembershipEvent['type']
  | ExpertPoolEvent['type']
  | FundEvent['type']
  | TimerEvent['type']
  | 'ClockSet';
const everyEventType: None<Missing<Persisted, 'eventTypes'>> = true;
const everyApplicationStatus: None<Missing<ApplicationStatus, 'applicationStatuses'>> = true;
const everyRoundStatus: None<Missing<RoundStatus, 'roundStatuses'>> = true;
const everyMembershipStatus: None<Missing<MembershipStatus, 'membershipStatuses'>> = true;
const everyStage: None<Missing<RejectionStage, 'stages'>> = true;
const everyDecision: None<Missing<ReviewDecision, 'decisions'>> = true;

describe('label catalogue', () => {
  it('has every check above hold at type-check time', () => {
    expect([
      everyEventType,
      everyApplicationStatus,
      everyRoundStatus,
      everyMembershipStatus,
      everyStage,
      everyDecision,
    ]).toEqual([true, true, true, true, true, true]);
  });

  it('labels every persisted event type in both locales', () => {
    const types = [
      ...APPLICATION_EVENT_TYPES,
      ...ROUND_EVENT_TYPES,
      ...ENTERPRISE_EVENT_TYPES,
      ...MEMBERSHIP_EVENT_TYPES,
      ...TIMER_EVENT_TYPES,
      ...FUND_EVENT_TYPES,
      'ExpertRegistered',
      'ClockSet',
    ];
    for (const locale of LOCALES)
      for (const type of types)
        expect([locale, type, LABELS[locale].eventTypes[type as never]]).toEqual([
          locale,
          type,
          expect.stringMatching(/\S/),
        ]);
  });

  it('labels every programme, exit reason, role and application data field in both locales', () => {
    const fields = Object.keys(applicationDataObjectSchema.shape);
    for (const locale of LOCALES) {
      const catalogue = LABELS[locale];
      for (const p of PROGRAMMES) expect(catalogue.programmes[p]).toBeTruthy();
      for (const r of EXIT_REASONS) expect(catalogue.exitReasons[r]).toBeTruthy();
      for (const r of ROLES) expect(catalogue.roles[r]).toBeTruthy();
      for (const f of fields)
        expect([f, (catalogue.materials as Record<string, string>)[f]]).toEqual([
          f,
          expect.stringMatching(/\S/),
        ]);
    }
  });

  it('has the same codes in zh-CN and en, none left empty', () => {
    for (const group of LABEL_GROUPS) {
      const zh = LABELS['zh-CN'][group] as Record<string, string>;
      const en = LABELS.en[group] as Record<string, string>;
      expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
      for (const value of [...Object.values(zh), ...Object.values(en)]) expect(value.trim()).not.toBe('');
    }
  });

  it('writes zh-CN labels in Chinese', () => {
    for (const group of LABEL_GROUPS)
      for (const value of Object.values(LABELS['zh-CN'][group] as Record<string, string>))
        expect(value).toMatch(/[\u4e00-\u9fff]/);
  });

  it('gives a label in zh-CN by default, in English on request, and an unknown code as it is', () => {
    expect(label('applicationStatuses', 'returned')).toBe('退回补正');
    expect(label('applicationStatuses', 'returned', 'en')).toBe('Returned for more material');
    expect(label('eventTypes', 'SomethingNewer')).toBe('SomethingNewer');
  });
});
