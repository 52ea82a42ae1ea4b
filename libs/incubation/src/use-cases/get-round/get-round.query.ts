export class GetRoundQuery {
  constructor(
    readonly roundId: string,
    readonly asOf?: string,
  ) {}
}
