import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomBytes } from 'node:crypto';
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
import { expertPoolDecider } from '../../domain/expert-pool/expert-pool.decider';
import { EXPERT_POOL_STREAM, FINANCIAL_FIELD } from '../../domain/expert-pool/expert-pool.events';
import type { PanelCandidate } from '../../domain/expert-review/panel-draw';
import type { ExpertPanelSettings } from '../../domain/policies/policy-types';
import { notFound } from '../../domain/shared/domain-error';
import type { CommandContext } from '../../infrastructure/command-context';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { assertCanSeeApplication, assertCityOfficer } from '../reach';
import {
  DeclareConflictCommand,
  DrawPanelCommand,
  RegisterExpertCommand,
  RemindExpertCommand,
  ReplaceConflictedExpertCommand,
  ReplaceOverdueExpertCommand,
  ScoreApplicationCommand,
} from './expert-review.commands';

@CommandHandler(RegisterExpertCommand)
export class RegisterExpertHandler implements ICommandHandler<RegisterExpertCommand> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}
  async execute({ expert, context }: RegisterExpertCommand): Promise<void> {
    await this.aggregates
      .of(expertPoolDecider)
      .handle(EXPERT_POOL_STREAM, context, () => ({ type: 'RegisterExpert', expert }));
  }
}

/** What a draw needs of the policy: its panel settings (none: no expert review) and the stage after the panel. */
function panelPolicy(
  policies: PolicyLookup,
  version: string,
): { settings: ExpertPanelSettings | undefined; next: LaterStage | null } {
  const policy = policies.get(version)!;
  const stages = policy.workflow.reviewStages;
  const after = stages[stages.indexOf('expert-panel') + 1];
  return {
    settings: policy.workflow.expertPanel,
    next: after === 'finance-bureau' ? 'finance-bureau' : null,
  };
}

/** The pool without the experts affiliated with the applicant (and without `also`). */
async function candidatesFor(
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

/**
 * Draws the panel at random from the pool, conflicts of interest excluded, with a fresh
 * random seed recorded in the event (domain/expert-review/panel-draw.ts says how to replay it).
 * The pool must be at least the policy's multiple of the panel size.
 */
@CommandHandler(DrawPanelCommand)
export class DrawPanelHandler implements ICommandHandler<DrawPanelCommand, Aggregate<ApplicationState>> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({
    applicationId,
    size,
    principal,
    context,
  }: DrawPanelCommand): Promise<Aggregate<ApplicationState>> {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, async ({ state }) => {
        const created = assertCanSeeApplication(principal, state);
        assertCityOfficer(principal, state, 'expert review');
        const { settings } = panelPolicy(this.policies, created.policyVersion);
        const due = workingDayPeriod(chinaDate(this.clock.now()), settings?.scoringWorkingDays ?? 0);
        return {
          type: 'DrawPanel',
          settings,
          ...(size !== undefined ? { size } : {}),
          pool: await candidatesFor(this.aggregates, created.creditCode, []),
          seed: randomBytes(16).toString('hex'),
          due: { endsOn: due.endsOn, provisional: due.provisional },
        };
      });
  }
}

/** An expert reaches an application only through a seat on its panel. */
function assertOnPanel(principal: Principal, state: ApplicationState): ApplicationCreatedData {
  if (principal.role !== 'expert' || !state.created || !state.panel?.drawn.includes(principal.sub)) {
    throw notFound('APPLICATION_NOT_FOUND', 'no such application');
  }
  return state.created;
}

/** An expert scores; the last score of the panel concludes the review. */
@CommandHandler(ScoreApplicationCommand)
export class ScoreApplicationHandler implements ICommandHandler<
  ScoreApplicationCommand,
  Aggregate<ApplicationState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  execute({ applicationId, score, comment, principal, context, indicators }: ScoreApplicationCommand) {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, ({ state }) => {
        const created = assertOnPanel(principal, state);
        const { settings, next } = panelPolicy(this.policies, created.policyVersion);
        return {
          type: 'ScoreApplication',
          expertId: principal.sub,
          score,
          indicators,
          comment,
          settings,
          next,
        };
      });
  }
}

/** An expert on the panel declares whether they have a conflict of interest, before scoring. */
@CommandHandler(DeclareConflictCommand)
export class DeclareConflictHandler implements ICommandHandler<
  DeclareConflictCommand,
  Aggregate<ApplicationState>
> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  execute({ applicationId, declaration, principal, context }: DeclareConflictCommand) {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, ({ state }) => {
        assertOnPanel(principal, state);
        return { type: 'DeclareConflict', expertId: principal.sub, ...declaration };
      });
  }
}

@CommandHandler(RemindExpertCommand)
export class RemindExpertHandler implements ICommandHandler<RemindExpertCommand> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}
  async execute({ applicationId, expertId, context }: RemindExpertCommand): Promise<void> {
    await this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, () => ({ type: 'RemindExpert', expertId }));
  }
}

/**
 * Replaces an expert who let the deadline pass: a fresh draw of one from the pool, without
 * conflicts and without anyone drawn before. The seed is derived from the saga step that
 * asks, so a repeated step draws the same expert.
 */
@CommandHandler(ReplaceOverdueExpertCommand)
export class ReplaceOverdueExpertHandler implements ICommandHandler<ReplaceOverdueExpertCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ applicationId, expertId, context }: ReplaceOverdueExpertCommand): Promise<void> {
    await replaceSeat(
      this.aggregates,
      this.policies,
      this.clock,
      applicationId,
      expertId,
      'overdue',
      context,
    );
  }
}

/** Replaces an expert who declared a conflict of interest, the same way as an overdue one. */
@CommandHandler(ReplaceConflictedExpertCommand)
export class ReplaceConflictedExpertHandler implements ICommandHandler<ReplaceConflictedExpertCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ applicationId, expertId, context }: ReplaceConflictedExpertCommand): Promise<void> {
    await replaceSeat(
      this.aggregates,
      this.policies,
      this.clock,
      applicationId,
      expertId,
      'conflict-of-interest',
      context,
    );
  }
}

async function replaceSeat(
  aggregates: Aggregates,
  policies: PolicyLookup,
  clock: Clock,
  applicationId: string,
  expertId: string,
  reason: ExpertReplacedData['reason'],
  context: CommandContext,
): Promise<void> {
  await aggregates
    .of(applicationDecider)
    .handle(applicationStream(applicationId), context, async ({ state }) => {
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
      };
    });
}

export const EXPERT_REVIEW_HANDLERS = [
  RegisterExpertHandler,
  DrawPanelHandler,
  ScoreApplicationHandler,
  RemindExpertHandler,
  ReplaceOverdueExpertHandler,
  DeclareConflictHandler,
  ReplaceConflictedExpertHandler,
];
