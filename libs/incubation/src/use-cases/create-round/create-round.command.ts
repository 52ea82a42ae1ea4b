import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

export interface CreateRoundInput {
  programme: string;
  year: number;
  batch: number;
  title: string;
  jurisdiction: string;
  opensAt: string;
  closesAt: string;
  quota?: number;
}

export class CreateRoundCommand {
  constructor(
    readonly roundId: string,
    readonly input: CreateRoundInput,
    readonly context: CommandContext,
    /** The issuing officer (reach.ts); none for the engine acting on its own. */
    readonly principal?: Principal,
  ) {}
}
