import { fold } from '../shared/domain-event';
import { enterpriseDecider, registerEnterprise } from './enterprise.decider';

const command = {
  creditCode: '91320214MA1XYZ1234',
  name: '无锡芯动科技有限公司',
  jurisdiction: 'js.wuxi.xinwu',
  establishedOn: '2019-05-20',
};

describe('enterprise decisions', () => {
  it('registers once', () => {
    const events = registerEnterprise(fold(enterpriseDecider, []), command, '2026-01-01');
    expect(events).toEqual([{ type: 'EnterpriseRegistered', data: command }]);
    expect(fold(enterpriseDecider, events)).toMatchObject({ registered: true, name: '无锡芯动科技有限公司' });
    expect(() => registerEnterprise(fold(enterpriseDecider, events), command, '2026-01-01')).toThrow(
      'already registered',
    );
  });

  it('refuses an establishment date in the future', () => {
    expect(() =>
      registerEnterprise(
        fold(enterpriseDecider, []),
        { ...command, establishedOn: '2026-01-02' },
        '2026-01-01',
      ),
    ).toThrow(expect.objectContaining({ kind: 'rule', code: 'ESTABLISHED_IN_FUTURE' }));
  });
});
