/** Objection ids name their round: `<roundId>.<n>`. */
export function objectionIdFor(roundId: string, n: number): string {
  return `${roundId}.${n}`;
}

/** The round an objection id names; undefined for anything that is not an objection id. */
export function roundOfObjection(objectionId: string): string | undefined {
  const match = /^([0-9a-f-]{36})\.\d{1,6}$/.exec(objectionId);
  return match?.[1];
}
