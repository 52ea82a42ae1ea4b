import type { Principal } from '@engine/platform';
import type { ExpertProfile } from '../../domain/expert-pool/expert-pool.events';
import type { CommandContext } from '../../infrastructure/command-context';

/** An admin adds an expert to the pool. */
export class RegisterExpertCommand {
  constructor(
    readonly expert: ExpertProfile,
    readonly context: CommandContext,
  ) {}
}

/** A city officer draws the panel of an application accepted for expert review. */
export class DrawPanelCommand {
  constructor(
    readonly applicationId: string,
    readonly size: number | undefined,
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}

/** An expert on the panel scores: one score, or each indicator of the policy's scoring sheet. */
export class ScoreApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly score: number | undefined,
    readonly comment: string | null,
    readonly principal: Principal,
    readonly context: CommandContext,
    readonly indicators?: { code: string; score: number; comment: string | null }[],
  ) {}
}

/** An expert on the panel declares, before scoring, whether they have a conflict of interest. */
export class DeclareConflictCommand {
  constructor(
    readonly applicationId: string,
    readonly declaration: { conflict: boolean; reason: string | null },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}

/** Sent by the expert-review saga when an expert declared a conflict: a fresh draw takes the seat. */
export class ReplaceConflictedExpertCommand {
  constructor(
    readonly applicationId: string,
    readonly expertId: string,
    readonly context: CommandContext,
  ) {}
}

/** Sent by the expert-review saga one working day before an expert's deadline. */
export class RemindExpertCommand {
  constructor(
    readonly applicationId: string,
    readonly expertId: string,
    readonly context: CommandContext,
  ) {}
}

/** Sent by the expert-review saga after an expert's deadline: a fresh draw takes the seat. */
export class ReplaceOverdueExpertCommand {
  constructor(
    readonly applicationId: string,
    readonly expertId: string,
    readonly context: CommandContext,
  ) {}
}
