import { DeciderSpecification } from '../../testing/decider-specification';
import { enterpriseDecider } from './enterprise.decider';
import type { EnterpriseEvent } from './enterprise.events';

const spec = DeciderSpecification.for(enterpriseDecider);
const data = {
  creditCode: '913',
  name: '无锡雏鹰',
  jurisdiction: 'js.wuxi.xinwu',
  establishedOn: '2020-01-01',
};
const registered: EnterpriseEvent = { type: 'EnterpriseRegistered', data };
const ban = { until: '2029-05-06', reason: 'fraud (eaglet)', membershipId: 'm-1' };

describe('enterprise decider', () => {
  it('registers once, not established in the future', () => {
    spec.given([]).when({ type: 'RegisterEnterprise', data, today: '2026-05-06' }).then([registered]);
    spec
      .given([registered])
      .when({ type: 'RegisterEnterprise', data, today: '2026-05-06' })
      .then('ENTERPRISE_EXISTS');
    spec
      .given([])
      .when({
        type: 'RegisterEnterprise',
        data: { ...data, establishedOn: '2026-05-07' },
        today: '2026-05-06',
      })
      .then('ESTABLISHED_IN_FUTURE');
  });

  it('records a membership once and keeps the longest ban', () => {
    const membership = { membershipId: 'm-1', programme: 'eaglet', validFrom: '2026-05-06' };
    const recorded: EnterpriseEvent = { type: 'EnterpriseMembershipRecorded', data: membership };
    spec.given([registered]).when({ type: 'RecordMembership', membership }).then([recorded]);
    spec.given([registered, recorded]).when({ type: 'RecordMembership', membership }).then([]);
    spec
      .given([registered])
      .when({ type: 'BanEnterprise', ban })
      .then([{ type: 'EnterpriseBanned', data: ban }]);
    spec
      .given([registered, { type: 'EnterpriseBanned', data: ban }])
      .when({ type: 'BanEnterprise', ban: { ...ban, until: '2028-01-01' } })
      .then([]);
  });
});
