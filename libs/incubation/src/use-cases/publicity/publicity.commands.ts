import type { Principal } from '@engine/platform';
import type { FinancingDecision, RejectionStage } from '../../domain/application/application.events';
import type { CommandContext } from '../../infrastructure/command-context';

/** The document number (文号) and issuing bureau an officer gives a notice (docs/documents.md). */
export interface NoticeInput {
  documentNumber: string;
  /** The bureau printed on the notice; the policy's issuer when absent. */
  issuer?: string;
}

/** A city officer publicises the round's passed applications (公示). */
export class StartPublicityCommand {
  constructor(
    readonly roundId: string,
    readonly startsOn: string | undefined,
    readonly principal: Principal,
    readonly context: CommandContext,
    readonly notice?: NoticeInput,
    /** The officer confirms a publicity whose end falls in a year without an installed arrangement. */
    readonly confirmProvisional = false,
  ) {}
}

/** Anyone may object during publicity, under a real name and with evidence. */
/** A person objecting under their real name. */
export interface PersonObjector {
  kind?: 'person';
  name: string;
  idNumber: string;
  phone: string;
}

/**
 * An organisation objecting (单位提出异议): its registered name and unified social credit code,
 * the image of its official seal on the objection (kept as evidence), and a contact person.
 */
export interface OrganizationObjector {
  kind: 'organization';
  name: string;
  creditCode: string;
  /** A reference to the sealed objection's image (document id or link). */
  sealImage: string;
  contact: { name: string; phone: string };
}

export class RaiseObjectionCommand {
  constructor(
    readonly objectionId: string,
    readonly applicationId: string,
    readonly objection: {
      objector: PersonObjector | OrganizationObjector;
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
    readonly notice?: NoticeInput,
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
