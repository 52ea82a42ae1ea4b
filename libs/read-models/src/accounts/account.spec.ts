import { AccountError, type AccountEvent, type AccountState, decide, evolve } from './account';

const created: AccountEvent = {
  type: 'AccountCreated',
  data: {
    accountId: 'acc-1',
    role: 'officer',
    jurisdiction: 'js.wuxi.xinwu',
    source: 'admin',
    personal: { v: 1, subject: 'ps1_x' },
  },
};
const given = (...events: AccountEvent[]) =>
  events.reduce<AccountState | undefined>((state, event) => evolve(state, event), undefined);

describe('account decisions', () => {
  it('disables an active account once, and enables it again', () => {
    const state = given(created);
    expect(decide(state, { kind: 'disable', reason: '离职' })).toEqual([
      { type: 'AccountDisabled', data: { accountId: 'acc-1', reason: '离职' } },
    ]);
    const disabled = given(created, { type: 'AccountDisabled', data: { accountId: 'acc-1' } });
    expect(decide(disabled, { kind: 'disable' })).toEqual([]);
    expect(decide(disabled, { kind: 'enable' })).toEqual([
      { type: 'AccountEnabled', data: { accountId: 'acc-1' } },
    ]);
  });

  it('records a role change with where it came from, and nothing when nothing changes', () => {
    const state = given(created);
    expect(decide(state, { kind: 'change-role', to: { role: 'officer', jurisdiction: 'js.wuxi' } })).toEqual([
      {
        type: 'RoleChanged',
        data: {
          accountId: 'acc-1',
          from: { role: 'officer', jurisdiction: 'js.wuxi.xinwu' },
          to: { role: 'officer', jurisdiction: 'js.wuxi' },
        },
      },
    ]);
    expect(
      decide(state, { kind: 'change-role', to: { role: 'officer', jurisdiction: 'js.wuxi.xinwu' } }),
    ).toEqual([]);
  });

  it('refuses what a role cannot hold, an enterprise becoming an officer, and an unknown account', () => {
    const state = given(created);
    expect(() => decide(state, { kind: 'change-role', to: { role: 'officer' } })).toThrow(AccountError);
    expect(() =>
      decide(state, { kind: 'change-role', to: { role: 'enterprise', org: '91320214MA1XK0001X' } }),
    ).toThrow(expect.objectContaining({ code: 'ROLE_CHANGE_REFUSED' }));
    expect(() => decide(undefined, { kind: 'enable' })).toThrow(expect.objectContaining({ status: 404 }));
  });
});
