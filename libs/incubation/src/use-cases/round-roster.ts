/**
 * A port: the applications of a round in the given statuses, who to look at when the proposed
 * list is drawn up. Each one is then loaded from its own stream, which has the final word. The
 * apps bind it (IncubationModule.forRoot) to the read models' roster; the class is the token.
 */
export abstract class RoundRoster {
  abstract applicationIds(roundId: string, statuses: readonly string[]): Promise<string[]>;
  /** Which of `creditCodes` have an application in the round, in any status (a draft included). */
  abstract applicants(roundId: string, creditCodes: readonly string[]): Promise<Set<string>>;
}
