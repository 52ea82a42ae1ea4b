export class GetEnterpriseQuery {
  constructor(
    readonly creditCode: string,
    readonly asOf?: string,
  ) {}
}
