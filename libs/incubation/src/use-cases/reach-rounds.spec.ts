import {
  absentRound as absent,
  auditor,
  officer,
  refusal,
  wuxiRound as round,
} from '../testing/reach-fixtures';
import { assertIssuingOfficer, assertMayIssueRound, roundReach } from './reach';

const noSuchRound = { kind: 'not-found', code: 'ROUND_NOT_FOUND', message: 'no such round' };

describe('who reads a round', () => {
  it('lets auditors and officers at or above the issuer read all of it', () => {
    expect(roundReach(auditor, round)).toEqual({});
    expect(roundReach(officer('js.wuxi'), round)).toEqual({});
    expect(roundReach(officer('js'), round)).toEqual({});
  });

  it('gives an officer below the issuer their own part', () => {
    expect(roundReach(officer('js.wuxi.xinwu'), round)).toEqual({ within: 'js.wuxi.xinwu' });
  });

  it('tells an officer beside the issuer, and anyone asking for an absent round, "no such round"', () => {
    expect(refusal(() => roundReach(officer('js.suzhou'), round))).toEqual(noSuchRound);
    expect(refusal(() => roundReach(auditor, absent))).toEqual(noSuchRound);
    expect(refusal(() => roundReach({ sub: 'e', role: 'enterprise', org: 'x' }, round))).toEqual(noSuchRound);
  });
});

describe('who issues a round', () => {
  it('lets an officer issue at or below their own jurisdiction', () => {
    expect(refusal(() => assertMayIssueRound(officer('js.wuxi'), 'js.wuxi'))).toBeUndefined();
    expect(refusal(() => assertMayIssueRound(officer('js.wuxi'), 'js.wuxi.xinwu'))).toBeUndefined();
  });

  it('refuses a round above or beside the officer with 403', () => {
    const above = {
      kind: 'forbidden',
      code: 'FORBIDDEN',
      message: 'a round is issued at or below your own jurisdiction',
    };
    expect(refusal(() => assertMayIssueRound(officer('js.wuxi.xinwu'), 'js.wuxi'))).toEqual(above);
    expect(refusal(() => assertMayIssueRound(officer('js.wuxi'), 'js.suzhou'))).toEqual(above);
  });
});

describe('who acts on a round (closes it, draws its panels)', () => {
  const message = 'only officers of the issuing jurisdiction close a round';

  it('lets officers at or above the issuer act', () => {
    expect(refusal(() => assertIssuingOfficer(officer('js.wuxi'), round, message))).toBeUndefined();
    expect(refusal(() => assertIssuingOfficer(officer('js'), round, message))).toBeUndefined();
  });

  it('refuses an officer below the issuer with 403 and the given message', () => {
    expect(refusal(() => assertIssuingOfficer(officer('js.wuxi.xinwu'), round, message))).toEqual({
      kind: 'forbidden',
      code: 'FORBIDDEN',
      message,
    });
  });

  it('tells an officer beside the issuer, or of an absent round, "no such round"', () => {
    expect(refusal(() => assertIssuingOfficer(officer('js.suzhou'), round, message))).toEqual(noSuchRound);
    expect(refusal(() => assertIssuingOfficer(officer('js.wuxi'), absent, message))).toEqual(noSuchRound);
  });
});
