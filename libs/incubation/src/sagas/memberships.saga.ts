import type { StoredEvent } from '@engine/event-store';
import type { Saga, SagaAction, TimerFiredData } from '@engine/workflow';
import type { ApplicationAdmittedData } from '../domain/application/application.events';
import {
  isBanningExit,
  type MembershipEvent,
  type MembershipGrantedData,
} from '../domain/membership/membership.events';
import { BanEnterpriseCommand } from '../use-cases/ban-enterprise/ban-enterprise.command';
import { GrantMembershipCommand } from '../use-cases/grant-membership/grant-membership.command';
import { MembershipTimerCommand } from '../use-cases/membership-timer/membership-timer.command';
import { PromoteMembershipsCommand } from '../use-cases/promote-memberships/promote-memberships.command';
import { onOrNextWorkingDay } from '@engine/platform';
import { endOfChinaDay, startOfChinaDay } from './saga-time';

export const ANNUAL_REPORT_REMINDER = 'annual-report-reminder';
export const ANNUAL_REPORT_DUE = 'annual-report-due';
export const MEMBERSHIP_EXPIRY = 'membership-expiry';
/** Days before the annual due date that the reminder goes out. */
export const ANNUAL_REPORT_REMINDER_DAYS = 30;

type Data<T extends MembershipEvent['type']> = Extract<MembershipEvent, { type: T }>['data'];
const membershipId = (event: StoredEvent) => event.stream.slice('membership-'.length);

/** The annual due dates (YYYY-MM-DD) within the validity: each year's MM-DD after validFrom, up to validUntil. */
export function annualDueDates(
  validFrom: string,
  validUntil: string,
  due: string,
): { year: number; dueOn: string }[] {
  const out: { year: number; dueOn: string }[] = [];
  // What is filed by a due date is the previous year's data: the first report, due the year
  // after admission, covers the year of admission.
  for (let year = Number(validFrom.slice(0, 4)) + 1; year <= Number(validUntil.slice(0, 4)); year++) {
    // A due date on a day off moves to the next working day (Civil Code art. 203).
    const dueOn = onOrNextWorkingDay(`${year}-${due}`);
    if (`${year}-${due}` <= validUntil) out.push({ year: year - 1, dueOn });
  }
  return out;
}

function lifeTimers(id: string, from: string, until: string, due: string | null): SagaAction[] {
  const actions: SagaAction[] = [];
  for (const { year, dueOn } of due ? annualDueDates(from, until, due) : []) {
    const remindOn = new Date(Date.parse(`${dueOn}T00:00:00Z`) - ANNUAL_REPORT_REMINDER_DAYS * 86_400_000)
      .toISOString()
      .slice(0, 10);
    actions.push(
      {
        kind: 'schedule',
        timer: {
          purpose: ANNUAL_REPORT_REMINDER,
          key: `${id}/${year}`,
          dueAt: startOfChinaDay(remindOn),
          payload: { membershipId: id, year, dueOn },
        },
      },
      {
        kind: 'schedule',
        timer: {
          purpose: ANNUAL_REPORT_DUE,
          key: `${id}/${year}`,
          dueAt: endOfChinaDay(dueOn),
          payload: { membershipId: id, year, dueOn },
        },
      },
    );
  }
  actions.push({
    kind: 'schedule',
    timer: {
      purpose: MEMBERSHIP_EXPIRY,
      key: `${id}/${until}`,
      dueAt: endOfChinaDay(until),
      payload: { membershipId: id },
    },
  });
  return actions;
}

/**
 * A membership's life: admitted applications start (or renew) memberships; each membership
 * gets its annual-report reminders and due dates and its expiry as timers; admission to a
 * higher tier ends the lower ones (promotion); an exit for fraud bans the enterprise.
 */
export const membershipsSaga: Saga = {
  name: 'memberships',
  handles: [
    'ApplicationAdmitted',
    'MembershipGranted',
    'MembershipRenewed',
    'MembershipExited',
    'TimerFired',
  ],
  react(event): SagaAction[] {
    switch (event.type) {
      case 'ApplicationAdmitted': {
        const id = event.stream.slice('application-'.length);
        void (event.data as ApplicationAdmittedData);
        return [{ kind: 'command', step: 'grant', command: (c) => new GrantMembershipCommand(id, c) }];
      }
      case 'MembershipGranted': {
        const data = event.data as MembershipGrantedData;
        return [
          ...lifeTimers(data.membershipId, data.validFrom, data.validUntil, data.annualReportDue),
          {
            kind: 'command',
            step: 'promote',
            command: (c) =>
              new PromoteMembershipsCommand(data.creditCode, data.programme, data.membershipId, c),
          },
        ];
      }
      case 'MembershipRenewed': {
        // The renewal's own annual dates come with the next grant-like schedule: only expiry moves here.
        const data = event.data as Data<'MembershipRenewed'>;
        const id = membershipId(event);
        return [
          {
            kind: 'schedule',
            timer: {
              purpose: MEMBERSHIP_EXPIRY,
              key: `${id}/${data.validUntil}`,
              dueAt: endOfChinaDay(data.validUntil),
              payload: { membershipId: id },
            },
          },
        ];
      }
      case 'MembershipExited': {
        const data = event.data as Data<'MembershipExited'>;
        if (!isBanningExit(data.reason)) return [];
        const id = membershipId(event);
        return [{ kind: 'command', step: 'ban', command: (c) => new BanEnterpriseCommand(id, c) }];
      }
      case 'TimerFired': {
        const data = event.data as TimerFiredData;
        const id = String(data.payload.membershipId ?? '');
        const year = typeof data.payload.year === 'number' ? data.payload.year : null;
        const dueOn = typeof data.payload.dueOn === 'string' ? data.payload.dueOn : null;
        const what =
          data.purpose === ANNUAL_REPORT_REMINDER
            ? 'remind-annual-report'
            : data.purpose === ANNUAL_REPORT_DUE
              ? 'annual-report-due'
              : data.purpose === MEMBERSHIP_EXPIRY
                ? 'expire'
                : undefined;
        if (!what) return [];
        return [
          {
            kind: 'command',
            step: what,
            command: (c) => new MembershipTimerCommand(id, what, year, dueOn, c),
          },
        ];
      }
      default:
        return [];
    }
  },
};
