/** Facts the expert-review use cases gather: the policy's panel settings, the pool, a panel seat. */
import { createHash } from 'node:crypto';
import { chinaDate, Clock, workingDayPeriod } from '@engine/platform';
import type { Principal } from '@engine/platform';
import {
  applicationDecider,
  type ApplicationState,
  type PanelPool,
} from '../../domain/application/application.decider';
import {
  type ApplicationCreatedData,
  applicationStream,
  type ExpertReplacedData,
  type LaterStage,
} from '../../domain/application/application.events';
import { FINANCIAL_FIELD } from '../../domain/expert-pool/expert-pool.events';
import type { PanelCandidate } from '../../domain/expert-review/panel-draw';
import type { ExpertPanelSettings } from '../../domain/policies/policy-types';
import { notFound } from '../../domain/shared/domain-error';
import type { CommandContext } from '../../infrastructure/command-context';
import { Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { assertCanSeeApplication, assertCityOfficer } from '../reach';

/** What a draw needs of the policy: its panel settings (none: no expert review) and the stage after the panel. */
export function panelPolicy(
  policies: PolicyLookup,
  version: string,
): { settings: ExpertPanelSettings | undefined; next: LaterStage | null } {
  const policy = policies.pinned(version);
  const stages = policy.workflow.reviewStages;
  const after = stages[stages.indexOf('expert-panel') + 1];
  return {
    settings: policy.workflow.expertPanel,
    next: after === 'finance-bureau' ? 'finance-bureau' : null,
  };
}

/** The pool without the experts affiliated with the applicant (and without `also`). */
export async function candidatesFor(
  aggregates: Aggregates,
  creditCode: string,
  also: readonly string[],
): Promise<PanelPool> {
  const pool = await aggregates.expertPool();
  const candidates: PanelCandidate[] = [];
  const excluded: string[] = [];
  for (const expert of Object.values(pool.state.experts).sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (expert.affiliations.includes(creditCode)) excluded.push(expert.id);
    else if (!also.includes(expert.id))
      candidates.push({ id: expert.id, financial: expert.field === FINANCIAL_FIELD });
  }
  return { candidates, excluded };
}

/** An expert reaches an application only through a seat on its panel. */
export function assertOnPanel(principal: Principal, state: ApplicationState): ApplicationCreatedData {
  if (principal.role !== 'expert' || !state.created || !state.panel?.drawn.includes(principal.sub)) {
    throw notFound('APPLICATION_NOT_FOUND', 'no such application');
  }
  return state.created;
}

export async function replaceSeat(
  aggregates: Aggregates,
  policies: PolicyLookup,
  clock: Clock,
  applicationId: string,
  expertId: string,
  reason: ExpertReplacedData['reason'],
  context: CommandContext,
  /** An officer asking; none when a saga asks. */
  principal?: Principal,
): Promise<void> {
  await aggregates
    .of(applicationDecider)
    .handle(applicationStream(applicationId), context, async ({ state }) => {
      if (principal) {
        assertCanSeeApplication(principal, state);
        assertCityOfficer(principal, state, 'expert review');
      }
      if (!state.created) return undefined;
      const today = chinaDate(clock.now());
      const { settings } = panelPolicy(policies, state.created.policyVersion);
      const { candidates } = await candidatesFor(
        aggregates,
        state.created.creditCode,
        state.panel?.drawn ?? [],
      );
      const due = settings && workingDayPeriod(today, settings.scoringWorkingDays);
      return {
        type: 'ReplaceExpert',
        expertId,
        reason,
        today,
        settings,
        pool: candidates,
        seed: createHash('sha256')
          .update(`${context.idempotencyKey ?? context.correlationId}`)
          .digest('hex'),
        ...(due ? { due: { endsOn: due.endsOn, provisional: due.provisional } } : {}),
        ...(principal ? { requestedBy: 'officer' as const } : {}),
      };
    });
}
