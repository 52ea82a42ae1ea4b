import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

export interface EstablishFundInput {
  name: string;
  budget: number;
  source: string;
  jurisdiction: string;
  year: number;
  programmes: string[];
}

/** An officer sets up a fund (专项资金) of their jurisdiction or one below it. */
export class EstablishFundCommand {
  constructor(
    readonly fundId: string,
    readonly input: EstablishFundInput,
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
