import { DomainError } from '../shared/domain-error';
import { fold } from '../shared/domain-event';
import {
  applyQuota,
  closeRound,
  createRound,
  finalizeRound,
  issueAdmissionNotice,
  roundDecider,
  roundStatus,
} from './round.decider';
import type { RoundEvent, RoundOpenedData } from './round.events';

const round: RoundOpenedData = {
  roundId: 'r-1',
  programme: 'eaglet',
  year: 2026,
  batch: 1,
  title: '2026年度无锡市雏鹰企业第一批申报',
  jurisdiction: 'js.wuxi',
  opensAt: '2026-03-01T00:00:00.000Z',
  closesAt: '2026-04-01T00:00:00.000Z',
  quota: null,
  policyVersion: 'eaglet/wuxi-2024',
};
const createdEvent: RoundEvent = { type: 'RoundCreated', data: round };
const at = (iso: string) => new Date(iso);

describe('round decisions', () => {
  it('is scheduled before its window, open inside it, closed after it', () => {
    const s = fold(roundDecider, [createdEvent]);
    expect(roundStatus(s, at('2026-02-28T23:59:59Z'))).toBe('scheduled');
    expect(roundStatus(s, at('2026-03-01T00:00:00Z'))).toBe('open');
    expect(roundStatus(s, at('2026-03-31T23:59:59Z'))).toBe('open');
    expect(roundStatus(s, at('2026-04-01T00:00:00Z'))).toBe('closed');
  });

  it('is created once, with a window that ends after it starts and in the future', () => {
    expect(createRound(fold(roundDecider, []), round, at('2026-01-01T00:00:00Z'))).toEqual([createdEvent]);
    expect(() => createRound(fold(roundDecider, [createdEvent]), round, at('2026-01-01T00:00:00Z'))).toThrow(
      DomainError,
    );
    expect(() =>
      createRound(fold(roundDecider, []), { ...round, closesAt: round.opensAt }, at('2026-01-01T00:00:00Z')),
    ).toThrow('closesAt must be after opensAt');
    expect(() => createRound(fold(roundDecider, []), round, at('2026-05-01T00:00:00Z'))).toThrow(
      /close before it is created/,
    );
  });

  it('closes early on an officer command, once', () => {
    const now = at('2026-03-15T00:00:00Z');
    const events = closeRound(fold(roundDecider, [createdEvent]), now, '名额已满');
    expect(events).toEqual([
      { type: 'RoundClosed', data: { closedAt: now.toISOString(), reason: '名额已满' } },
    ]);
    const closed = fold(roundDecider, [createdEvent, ...events]);
    expect(roundStatus(closed, now)).toBe('closed');
    expect(() => closeRound(closed, now, 'again')).toThrow('the round is already closed');
  });

  describe('document numbers of the notices', () => {
    const entry = { applicationId: 'a-1', creditCode: '91320214MA1XK0001X', name: '甲公司', score: '80' };
    const publicised: RoundEvent[] = [
      createdEvent,
      {
        type: 'PublicityStarted',
        data: {
          startsOn: '2026-04-02',
          endsOn: '2026-04-17',
          workingDays: 10,
          proposed: [entry],
          documentNumber: '锡科发〔2026〕12号',
          issuer: '无锡市科学技术局',
        },
      },
    ];

    it('keeps the publicity notice number in the state', () => {
      expect(fold(roundDecider, publicised).publicity).toMatchObject({
        documentNumber: '锡科发〔2026〕12号',
      });
    });

    it('records the admission notice number on the final list when the officer finalizes with one', () => {
      const notice = { documentNumber: '锡科发〔2026〕30号', issuer: '无锡市科学技术局' };
      const [event] = finalizeRound(fold(roundDecider, publicised), '2026-04-18', 'admit', notice);
      expect(event).toEqual({
        type: 'RoundFinalized',
        data: { admitted: [entry], removed: [], finalizedOn: '2026-04-18', outcome: 'admit', ...notice },
      });
    });

    it('numbers the notice of a round finalized without one, once, and only once finalized', () => {
      const notice = {
        documentNumber: '锡科发〔2026〕30号',
        issuer: '无锡市科学技术局',
        issuedOn: '2026-04-20',
      };
      expect(() => issueAdmissionNotice(fold(roundDecider, publicised), notice)).toThrow(
        /not been finalized/,
      );
      const finalized = [
        ...publicised,
        ...finalizeRound(fold(roundDecider, publicised), '2026-04-18', 'admit'),
      ];
      const events = issueAdmissionNotice(fold(roundDecider, finalized), notice);
      expect(events).toEqual([{ type: 'AdmissionNoticeIssued', data: notice }]);
      const numbered = fold(roundDecider, [...finalized, ...events]);
      expect(numbered.final).toMatchObject({
        documentNumber: '锡科发〔2026〕30号',
        noticeIssuedOn: '2026-04-20',
      });
      expect(() =>
        issueAdmissionNotice(numbered, { ...notice, documentNumber: '锡科发〔2026〕31号' }),
      ).toThrow(expect.objectContaining({ code: 'NOTICE_NUMBERED' }));
    });
  });
});

describe('the round quota at finalization', () => {
  const entry = (n: number, score: string | null) => ({
    applicationId: `app-${n}`,
    creditCode: `9132021400000000${n}X`,
    name: `企业${n}`,
    score,
  });
  const list = [entry(1, '80'), entry(2, '91'), entry(3, '85'), entry(4, '85'), entry(5, '≈ 72.33')];

  it('keeps everyone within the quota, or without one', () => {
    expect(applyQuota(list, null).overQuota).toEqual([]);
    expect(applyQuota(list, 5).overQuota).toEqual([]);
  });

  it('admits by score, highest first; the rest are over the quota', () => {
    const { admitted, overQuota } = applyQuota(list, 3, 'credit-code');
    expect(admitted.map((e) => e.applicationId).sort()).toEqual(['app-2', 'app-3', 'app-4']);
    expect(overQuota.map((e) => e.applicationId)).toEqual(['app-1', 'app-5']);
  });

  it('ranks scores by their value, never by their text ("100" above "95", "10.0" above "9.5")', () => {
    // As text, "95" > "100" and "9.5" > "10.0"; the quota must cut by value.
    const byText = [entry(1, '95'), entry(2, '100'), entry(3, '9.5'), entry(4, '10.0'), entry(5, '≈ 70.33')];
    expect(applyQuota(byText, 1, 'credit-code').admitted.map((e) => e.applicationId)).toEqual(['app-2']);
    expect(applyQuota(byText, 4, 'credit-code').overQuota.map((e) => e.applicationId)).toEqual(['app-3']);
    expect(applyQuota(byText, 3, 'credit-code').overQuota.map((e) => e.applicationId)).toEqual([
      'app-4',
      'app-3',
    ]);
  });

  it('breaks a tie at the cut as the policy names it', () => {
    // Quota 2: app-2 (91) and then a tie at 85 between app-3 and app-4.
    expect(applyQuota(list, 2, 'credit-code').admitted.map((e) => e.applicationId)).toEqual([
      'app-2',
      'app-3',
    ]);
    expect(applyQuota(list, 2, 'admit-all-tied').admitted.map((e) => e.applicationId)).toEqual([
      'app-2',
      'app-3',
      'app-4',
    ]);
  });
});
