import type { Principal } from '@engine/platform';
import type { FinancingDecision, RejectionStage } from '../../domain/application/application.events';
import type { CommandContext } from '../../infrastructure/aggregate-repository';

/** A city officer publicises the round's passed applications (公示). */
export class StartPublicityCommand {
  constructor(
    readonly roundId: string,
    readonly startsOn: string | undefined,
    readonly principal: Principal,
    readonly context: CommandContext,
    /** The officer confirms a publicity whose end falls in a year without an installed arrangement. */
    readonly confirmProvisional = false,
  ) {}
}

/** Anyone may object during publicity, under a real name and with evidence. */
export class RaiseObjectionCommand {
  constructor(
    readonly objectionId: string,
    readonly applicationId: string,
    readonly objection: {
      objector: { name: string; idNumber: string; phone: string };
      grounds: string;
      evidence: string[];
    },
    readonly context: CommandContext,
  ) {}
}

export class ResolveObjectionCommand {
  constructor(
    readonly objectionId: string,
    readonly resolution: { upheld: boolean; reason: string },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}

/** An officer asks for the final list; the publicity saga asks too (principal undefined). */
export class FinalizeRoundCommand {
  constructor(
    readonly roundId: string,
    readonly principal: Principal | undefined,
    readonly context: CommandContext,
  ) {}
}

/** Saga steps that carry the round's decisions to its applications. */
export class PubliciseApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly publicity: { roundId: string; startsOn: string; endsOn: string; provisional?: boolean },
    readonly context: CommandContext,
  ) {}
}

export class RejectApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly stage: RejectionStage,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

export class AdmitApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly roundId: string,
    readonly admittedOn: string,
    readonly context: CommandContext,
  ) {}
}

export class ForwardToMinistryCommand {
  constructor(
    readonly applicationId: string,
    readonly roundId: string,
    readonly context: CommandContext,
  ) {}
}

export class RecordFinanceOpinionCommand {
  constructor(
    readonly applicationId: string,
    readonly opinion: { approved: boolean; opinion: string; financing?: Partial<FinancingDecision> },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}

export class RecordNationalDecisionCommand {
  constructor(
    readonly applicationId: string,
    readonly decision: { decision: 'recognized' | 'rejected'; documentNumber: string },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}

/** An objection as raised (the objector still sealed), with its round and resolution. */
export class GetObjectionQuery {
  constructor(readonly objectionId: string) {}
}
