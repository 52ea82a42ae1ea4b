import type { CommandContext } from '../../infrastructure/aggregate-repository';

export class RegisterEnterpriseCommand {
  constructor(
    readonly enterprise: { creditCode: string; name: string; jurisdiction: string; establishedOn: string },
    readonly context: CommandContext,
  ) {}
}
