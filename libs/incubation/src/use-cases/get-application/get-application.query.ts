export class GetApplicationQuery {
  constructor(
    readonly applicationId: string,
    readonly asOf?: string,
  ) {}
}

export class GetApplicationHistoryQuery {
  constructor(readonly applicationId: string) {}
}
