import type { Principal } from '@engine/platform';
import type { EnterpriseState } from '../domain/enterprise/enterprise.decider';
import { assertCanSeeEnterprise, assertMayRegisterEnterprise } from './reach';
import { officer, refusal } from '../testing/reach-fixtures';

const code = '91320214MA1XYZ1234';
const enterprise = { creditCode: code, jurisdiction: 'js.wuxi.xinwu' };
const registered = { registered: true, creditCode: code, jurisdiction: 'js.wuxi.xinwu' } as EnterpriseState;

const itself: Principal = { sub: 'e-1', role: 'enterprise', org: code };
const another: Principal = { sub: 'e-2', role: 'enterprise', org: '91320214MA1XYZ9999' };

describe('who registers an enterprise', () => {
  it('lets the enterprise itself and officers at or above its jurisdiction register it', () => {
    expect(refusal(() => assertMayRegisterEnterprise(itself, enterprise))).toBeUndefined();
    expect(refusal(() => assertMayRegisterEnterprise(officer('js.wuxi.xinwu'), enterprise))).toBeUndefined();
    expect(refusal(() => assertMayRegisterEnterprise(officer('js.wuxi'), enterprise))).toBeUndefined();
  });

  it('refuses another enterprise with 403', () => {
    expect(refusal(() => assertMayRegisterEnterprise(another, enterprise))).toEqual({
      kind: 'forbidden',
      code: 'FORBIDDEN',
      message: 'an enterprise registers only itself',
    });
  });

  it('refuses an officer below or beside its jurisdiction with 403', () => {
    const outside = { kind: 'forbidden', code: 'FORBIDDEN', message: 'the jurisdiction is outside yours' };
    expect(refusal(() => assertMayRegisterEnterprise(officer('js.wuxi.xinwu.a'), enterprise))).toEqual(
      outside,
    );
    expect(refusal(() => assertMayRegisterEnterprise(officer('js.suzhou'), enterprise))).toEqual(outside);
  });
});

describe('who sees an enterprise', () => {
  const noSuch = { kind: 'not-found', code: 'ENTERPRISE_NOT_FOUND', message: 'no such enterprise' };

  it('shows it to auditors, the enterprise itself and officers at or above its jurisdiction', () => {
    for (const principal of [{ sub: 'a', role: 'auditor' } as Principal, itself, officer('js.wuxi')]) {
      expect(refusal(() => assertCanSeeEnterprise(principal, registered))).toBeUndefined();
    }
  });

  it('answers another enterprise, an officer beside or below it, "no such enterprise"', () => {
    for (const principal of [another, officer('js.suzhou'), officer('js.wuxi.xinwu.a')]) {
      expect(refusal(() => assertCanSeeEnterprise(principal, registered))).toEqual(noSuch);
    }
  });

  it('answers one never registered "no such enterprise", even to an auditor', () => {
    expect(
      refusal(() => assertCanSeeEnterprise({ sub: 'a', role: 'auditor' }, { registered: false })),
    ).toEqual(noSuch);
  });
});
