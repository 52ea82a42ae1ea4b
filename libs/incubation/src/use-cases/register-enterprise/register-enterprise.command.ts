import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

/** The enterprise's contact person for notices, in clear: the handler seals it before recording. */
export interface ContactPerson {
  name: string;
  email?: string;
  phone?: string;
}

export class RegisterEnterpriseCommand {
  constructor(
    readonly enterprise: {
      creditCode: string;
      name: string;
      jurisdiction: string;
      establishedOn: string;
      contact?: ContactPerson;
    },
    /** The enterprise itself or an officer over its jurisdiction (reach.ts). */
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
