/**
 * The applications of a round (from the read models): who to look at when the proposed list
 * is drawn up. Each one is then loaded from its own stream, which has the final word.
 */
export abstract class RoundRoster {
  abstract applicationIds(roundId: string, statuses: readonly string[]): Promise<string[]>;
}
