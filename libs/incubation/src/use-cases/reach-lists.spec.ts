import type { Principal } from '@engine/platform';
import type { RoundState } from '../domain/round/round.decider';
import {
  absentRound as absent,
  auditor,
  officer,
  refusal,
  wuxiRound as closed,
} from '../testing/reach-fixtures';
import {
  assertMayReadRoundDocuments,
  assertMayReadRoundList,
  listingScope,
  registerReach,
  roundsListReach,
  statisticsScope,
  worklistCovers,
} from './reach';

const inPublicity: RoundState = {
  ...closed,
  publicity: { startsOn: '2024-05-06', endsOn: '2024-05-10', workingDays: 5 },
} as RoundState;
const enterprise: Principal = { sub: 'e-1', role: 'enterprise', org: '91320200MA1XXXXX0X' };

const refused = (act: () => unknown) => {
  const error = refusal(act);
  return error && `${error.kind} ${error.code}`;
};

describe('the rounds list', () => {
  it('shows an officer the rounds on their line and, of one issued above, their own part', () => {
    const { reach, partOf } = roundsListReach(officer('js.wuxi.xinwu'));
    expect(reach).toBe('js.wuxi.xinwu');
    expect(partOf('js.wuxi')).toBe('js.wuxi.xinwu');
    expect(partOf('js.wuxi.xinwu')).toBeUndefined();
  });

  it('shows an auditor every round whole', () => {
    const { reach, partOf } = roundsListReach(auditor);
    expect(reach).toBeUndefined();
    expect(partOf('js.wuxi')).toBeUndefined();
  });
});

describe('listings of memberships and indicators', () => {
  it('scopes an officer to their jurisdiction, or a narrower one asked, and beyond it to nothing', () => {
    expect(listingScope(officer('js.wuxi'), undefined)).toEqual({ jurisdiction: 'js.wuxi' });
    expect(listingScope(officer('js.wuxi'), 'js.wuxi.xinwu')).toEqual({ jurisdiction: 'js.wuxi.xinwu' });
    expect(listingScope(officer('js.wuxi'), 'js.suzhou')).toBeUndefined();
    expect(listingScope(officer('js.wuxi.xinwu'), 'js.wuxi')).toBeUndefined();
  });

  it('lets an auditor list everywhere or where asked', () => {
    expect(listingScope(auditor, undefined)).toEqual({ jurisdiction: undefined });
    expect(listingScope(auditor, 'js.suzhou')).toEqual({ jurisdiction: 'js.suzhou' });
  });
});

describe('statistics', () => {
  it('counts within the officer’s jurisdiction and refuses one beyond it with 403', () => {
    expect(statisticsScope(officer('js.wuxi'), undefined)).toBe('js.wuxi');
    expect(statisticsScope(officer('js.wuxi'), 'js.wuxi.xinwu')).toBe('js.wuxi.xinwu');
    expect(refused(() => statisticsScope(officer('js.wuxi'), 'js.suzhou'))).toBe('forbidden FORBIDDEN');
    expect(statisticsScope(auditor, undefined)).toBeUndefined();
  });
});

describe('registers', () => {
  it('reads an officer’s own register by default, and those above or below them', () => {
    expect(registerReach(officer('js.wuxi'), undefined)).toBe('js.wuxi');
    expect(registerReach(officer('js.wuxi'), 'js')).toBe('js');
    expect(registerReach(officer('js.wuxi'), 'js.wuxi.xinwu')).toBe('js.wuxi.xinwu');
  });

  it('tells an officer beside it "no such register", and an auditor to name the jurisdiction', () => {
    expect(refused(() => registerReach(officer('js.wuxi'), 'js.suzhou'))).toBe(
      'not-found REGISTER_NOT_FOUND',
    );
    expect(refused(() => registerReach(auditor, undefined))).toBe('invalid VALIDATION_FAILED');
    expect(registerReach(auditor, 'js.suzhou')).toBe('js.suzhou');
  });
});

describe('the worklist stream', () => {
  it('carries the changes of applications at or below the officer’s jurisdiction', () => {
    expect(worklistCovers(officer('js.wuxi'), 'js.wuxi.xinwu')).toBe(true);
    expect(worklistCovers(officer('js.wuxi.xinwu'), 'js.wuxi.liangxi')).toBe(false);
  });
});

describe('a round’s documents and lists', () => {
  it('lets auditors and officers over the issuer read its documents; others hear "no such round"', () => {
    expect(refused(() => assertMayReadRoundDocuments(auditor, closed))).toBeUndefined();
    expect(refused(() => assertMayReadRoundDocuments(officer('js'), closed))).toBeUndefined();
    expect(refused(() => assertMayReadRoundDocuments(officer('js.wuxi.xinwu'), closed))).toBe(
      'not-found ROUND_NOT_FOUND',
    );
    expect(refused(() => assertMayReadRoundDocuments(auditor, absent))).toBe('not-found ROUND_NOT_FOUND');
  });

  it('lets anyone, signed in or not, read the list while it is publicised, and only then', () => {
    expect(refused(() => assertMayReadRoundList(undefined, inPublicity))).toBeUndefined();
    expect(refused(() => assertMayReadRoundList(enterprise, inPublicity))).toBeUndefined();
    expect(refused(() => assertMayReadRoundList(undefined, closed))).toBe('not-found ROUND_NOT_FOUND');
    expect(refused(() => assertMayReadRoundList(enterprise, closed))).toBe('not-found ROUND_NOT_FOUND');
    expect(refused(() => assertMayReadRoundList(officer('js.wuxi'), closed))).toBeUndefined();
  });
});
