import { v5 as uuidv5 } from 'uuid';

/** Namespace of ids derived from what makes a thing unique (never change: ids are stored). */
const NATURAL_NAMESPACE = '6d0f4c1a-8e2b-4b7c-9f3a-2c5e7d9b1a04';

/**
 * The one application an enterprise may have in a round. Deriving the id from the pair makes
 * the event store decide uniqueness: every create for the pair appends to the same stream with
 * expected revision "no stream", so of fifty concurrent creates one wins and the rest see it
 * (409 APPLICATION_EXISTS with its id). No read model is asked, so nothing races.
 */
export function applicationIdFor(roundId: string, creditCode: string): string {
  return uuidv5(`application\n${roundId}\n${creditCode.toUpperCase()}`, NATURAL_NAMESPACE);
}

/** The one round of a programme, issuing jurisdiction, year and batch (409 ROUND_EXISTS otherwise). */
export function roundIdFor(programme: string, jurisdiction: string, year: number, batch: number): string {
  return uuidv5(`round\n${programme}\n${jurisdiction}\n${year}\n${batch}`, NATURAL_NAMESPACE);
}

/** The one fund of an issuing jurisdiction, year and name (409 FUND_EXISTS otherwise). */
export function fundIdFor(jurisdiction: string, year: number, name: string): string {
  return uuidv5(`fund\n${jurisdiction}\n${year}\n${name}`, NATURAL_NAMESPACE);
}
