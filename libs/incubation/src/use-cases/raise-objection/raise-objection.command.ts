import type { CommandContext } from '../../infrastructure/command-context';
import type { EvidenceFile } from '../store-objection-evidence/store-objection-evidence.command';

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
  /**
   * The sealed objection's image: a reference (document id or link), or `sha256:<digest>` of a
   * file uploaded as evidence (then it must be among `evidenceFiles`).
   */
  sealImage: string;
  contact: { name: string; phone: string };
}

/** Anyone may object during publicity, under a real name and with evidence. */
export class RaiseObjectionCommand {
  constructor(
    readonly objectionId: string,
    readonly applicationId: string,
    readonly objection: {
      objector: PersonObjector | OrganizationObjector;
      grounds: string;
      evidence: string[];
      /** Uploaded files, already checked against the blob store (storedEvidenceFile). */
      evidenceFiles?: EvidenceFile[];
    },
    readonly context: CommandContext,
  ) {}
}
