import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomBytes } from 'node:crypto';
import { chinaDate, Clock, workingDayPeriod } from '@engine/platform';
import { ApplicationAggregate } from '../../aggregates/application.aggregate';
import { ExpertPoolAggregate } from '../../aggregates/expert-pool.aggregate';
import {
  declareConflict,
  isConflicted,
  isOverdue,
  recordPanelDraw,
  remindExpert,
  replaceExpert,
  scoreApplication,
} from '../../domain/application/application.decider';
import type { ExpertReplacedData, LaterStage } from '../../domain/application/application.events';
import { registerExpert } from '../../domain/expert-pool/expert-pool.decider';
import { FINANCIAL_FIELD } from '../../domain/expert-pool/expert-pool.events';
import { drawPanel, type PanelCandidate, type PanelRules } from '../../domain/expert-review/panel-draw';
import type { ExpertPanelSettings } from '../../domain/policies/policy-types';
import { conflict, notFound, ruleViolated } from '../../domain/shared/domain-error';
import { AggregateRepository, type CommandContext } from '../../infrastructure/aggregate-repository';
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
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}
  async execute({ expert, context }: RegisterExpertCommand): Promise<void> {
    await this.repository.execute(
      () => new ExpertPoolAggregate(),
      context,
      (pool) => pool.decide((state) => registerExpert(state, expert)),
    );
  }
}

/** What a draw needs of the policy: its panel settings and the stage after the panel. */
function panelPolicy(
  policies: PolicyLookup,
  version: string,
): { settings: ExpertPanelSettings; next: LaterStage | null } {
  const policy = policies.get(version)!;
  const settings = policy.workflow.expertPanel;
  if (!settings) throw conflict('NO_EXPERT_PANEL', 'this programme has no expert review');
  const stages = policy.workflow.reviewStages;
  const after = stages[stages.indexOf('expert-panel') + 1];
  return { settings, next: after === 'finance-bureau' ? 'finance-bureau' : null };
}

function rulesOf(settings: ExpertPanelSettings, size: number): PanelRules {
  return {
    size,
    minFinancial: settings.minFinancialExperts ?? 0,
    minTechnicalSharePercent: settings.minTechnicalSharePercent ?? 0,
  };
}

/** The pool without the experts affiliated with the applicant (and without `also`). */
async function candidatesFor(
  repository: AggregateRepository,
  creditCode: string,
  also: readonly string[],
): Promise<{ candidates: PanelCandidate[]; excluded: string[] }> {
  const pool = await repository.load(() => new ExpertPoolAggregate());
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
export class DrawPanelHandler implements ICommandHandler<DrawPanelCommand, ApplicationAggregate> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({
    applicationId,
    size,
    principal,
    context,
  }: DrawPanelCommand): Promise<ApplicationAggregate> {
    return this.repository.execute(
      () => new ApplicationAggregate(applicationId),
      context,
      async (application) => {
        assertCanSeeApplication(principal, application.state);
        const created = application.state.created!;
        assertCityOfficer(principal, application.state, 'expert review');
        const { settings } = panelPolicy(this.policies, created.policyVersion);
        const panelSize = size ?? settings.size;
        if (panelSize < settings.size) {
          throw ruleViolated('PANEL_TOO_SMALL', `the policy requires at least ${settings.size} experts`);
        }
        const { candidates, excluded } = await candidatesFor(this.repository, created.creditCode, []);
        if (candidates.length < panelSize * settings.poolMultiple) {
          throw ruleViolated(
            'EXPERT_POOL_TOO_SMALL',
            `the pool has ${candidates.length} eligible experts; a panel of ${panelSize} needs at least ${panelSize * settings.poolMultiple}`,
          );
        }
        const rules = rulesOf(settings, panelSize);
        const seed = randomBytes(16).toString('hex');
        const experts = drawPanel(candidates, rules, seed);
        const due = workingDayPeriod(chinaDate(this.clock.now()), settings.scoringWorkingDays);
        application.decide((state) =>
          recordPanelDraw(state, {
            seed,
            rules,
            candidates,
            excluded,
            experts,
            dueOn: due.endsOn,
            provisional: due.provisional,
          }),
        );
      },
    );
  }
}

/** An expert scores; the last score of the panel concludes the review. */
@CommandHandler(ScoreApplicationCommand)
export class ScoreApplicationHandler implements ICommandHandler<
  ScoreApplicationCommand,
  ApplicationAggregate
> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  execute({ applicationId, score, comment, principal, context, indicators }: ScoreApplicationCommand) {
    return this.repository.execute(
      () => new ApplicationAggregate(applicationId),
      context,
      (application) => {
        const state = application.state;
        // An expert reaches an application only through a seat on its panel.
        if (principal.role !== 'expert' || !state.exists || !state.panel?.drawn.includes(principal.sub)) {
          throw notFound('APPLICATION_NOT_FOUND', 'no such application');
        }
        const { settings, next } = panelPolicy(this.policies, state.created!.policyVersion);
        application.decide((s) =>
          scoreApplication(s, { expertId: principal.sub, score, indicators, comment, settings, next }),
        );
      },
    );
  }
}

/** An expert on the panel declares whether they have a conflict of interest, before scoring. */
@CommandHandler(DeclareConflictCommand)
export class DeclareConflictHandler implements ICommandHandler<DeclareConflictCommand, ApplicationAggregate> {
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}

  execute({ applicationId, declaration, principal, context }: DeclareConflictCommand) {
    return this.repository.execute(
      () => new ApplicationAggregate(applicationId),
      context,
      (application) => {
        const state = application.state;
        if (principal.role !== 'expert' || !state.exists || !state.panel?.drawn.includes(principal.sub)) {
          throw notFound('APPLICATION_NOT_FOUND', 'no such application');
        }
        application.decide((s) => declareConflict(s, { expertId: principal.sub, ...declaration }));
      },
    );
  }
}

@CommandHandler(RemindExpertCommand)
export class RemindExpertHandler implements ICommandHandler<RemindExpertCommand> {
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}
  async execute({ applicationId, expertId, context }: RemindExpertCommand): Promise<void> {
    await this.repository.execute(
      () => new ApplicationAggregate(applicationId),
      context,
      (application) => application.decide((state) => remindExpert(state, expertId)),
    );
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
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ applicationId, expertId, context }: ReplaceOverdueExpertCommand): Promise<void> {
    await replaceSeat(
      this.repository,
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
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ applicationId, expertId, context }: ReplaceConflictedExpertCommand): Promise<void> {
    await replaceSeat(
      this.repository,
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
  repository: AggregateRepository,
  policies: PolicyLookup,
  clock: Clock,
  applicationId: string,
  expertId: string,
  reason: ExpertReplacedData['reason'],
  context: CommandContext,
): Promise<void> {
  await repository.execute(
    () => new ApplicationAggregate(applicationId),
    context,
    async (application) => {
      const state = application.state;
      const today = chinaDate(clock.now());
      const due = reason === 'overdue' ? isOverdue(state, expertId, today) : isConflicted(state, expertId);
      if (!due) return;
      const { settings } = panelPolicy(policies, state.created!.policyVersion);
      const { candidates } = await candidatesFor(repository, state.created!.creditCode, state.panel!.drawn);
      if (candidates.length === 0)
        throw ruleViolated('EXPERT_POOL_EXHAUSTED', 'no expert is left to replace an expert');
      const seed = createHash('sha256')
        .update(`${context.idempotencyKey ?? context.correlationId}`)
        .digest('hex');
      const [replacement] = drawPanel(
        candidates,
        { size: 1, minFinancial: 0, minTechnicalSharePercent: 0 },
        seed,
      );
      const period = workingDayPeriod(today, settings.scoringWorkingDays);
      application.decide((s) =>
        replaceExpert(
          s,
          {
            expertId,
            replacement,
            reason,
            seed,
            candidates,
            dueOn: period.endsOn,
            provisional: period.provisional,
          },
          today,
        ),
      );
    },
  );
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
