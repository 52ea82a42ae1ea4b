import type { SealedContact } from '../../domain/enterprise/enterprise.events';
import type { CommandContext } from '../../infrastructure/command-context';

export class RegisterEnterpriseCommand {
  constructor(
    readonly enterprise: {
      creditCode: string;
      name: string;
      jurisdiction: string;
      establishedOn: string;
      /** Sealed by the caller with the personal-data vault; never the clear contact. */
      contact?: SealedContact;
    },
    readonly context: CommandContext,
  ) {}
}
