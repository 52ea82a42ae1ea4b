import {
  parseDocumentNumber,
  fundRemaining,
  type FundState,
  type Aggregate,
  AllocateFundCommand,
  EstablishFundCommand,
  GetFundQuery,
  fundIdFor,
  RecordFundPaymentCommand,
} from '@engine/incubation';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorResponse, type Principal } from '@engine/platform';
import { Caller, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { HttpError } from '../http/http-error';
import {
  AllocateRequest,
  AllocationMadeDto,
  EstablishFundRequest,
  FundDto,
  PaymentRecordedDto,
  PaymentRequest,
} from './funds.dto';

/** The fund as the api shows it: budget, what is allocated, paid and left, each allocation. */
export function fundDto(id: string, fund: Aggregate<FundState>): FundDto {
  const f = fund.state.fund!;
  const allocations = fund.state.allocations.map((a) => ({
    id: a.allocationId,
    recipient: a.recipient,
    amount: a.amount,
    purpose: a.purpose,
    allocatedOn: a.allocatedOn,
    paid: a.paid,
    unpaid: a.amount - a.paid,
    payments: a.payments.map((p) => ({
      id: p.paymentId,
      amount: p.amount,
      documentNumber: p.documentNumber,
      paidOn: p.paidOn,
    })),
  }));
  return {
    id,
    name: f.name,
    budget: f.budget,
    source: f.source,
    jurisdiction: f.jurisdiction,
    year: f.year,
    programmes: f.programmes,
    establishedOn: f.establishedOn,
    allocated: fund.state.allocated,
    remaining: fundRemaining(fund.state),
    paid: allocations.reduce((n, a) => n + a.paid, 0),
    allocations,
    revision: fund.revision,
  };
}

@ApiTags('funds')
@ApiBearerAuth()
@Controller('v1/funds')
export class FundsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('officer')
  @ApiOperation({
    summary:
      'Establish a fund (专项资金): budget in yuan, source, issuing jurisdiction (yours or below), year; one per jurisdiction, year and name (409 FUND_EXISTS)',
  })
  @ApiCreatedResponse({ type: FundDto })
  async create(
    @Body() body: EstablishFundRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ): Promise<FundDto> {
    const id = fundIdFor(body.jurisdiction, body.year, body.name);
    const fund: Aggregate<FundState> = await this.commands.execute(
      new EstablishFundCommand(
        id,
        {
          name: body.name,
          budget: body.budget,
          source: body.source,
          jurisdiction: body.jurisdiction,
          year: body.year,
          programmes: body.programmes ?? [],
        },
        caller,
        commandContext(request, caller),
      ),
    );
    return fundDto(id, fund);
  }

  @Get(':id')
  @Roles('officer', 'auditor')
  @ApiOperation({ summary: 'A fund with its allocations, payments and what is left of the budget' })
  @ApiOkResponse({ type: FundDto })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FundDto> {
    const fund: Aggregate<FundState> = await this.queries.execute(new GetFundQuery(id, caller));
    void reply.header('ETag', `"${fund.revision}"`);
    return fundDto(id, fund);
  }

  @Post(':id/allocations')
  @HttpCode(201)
  @Roles('officer')
  @ApiOperation({
    summary:
      'Allocate from the fund to an admitted enterprise (its active membership, within the fund’s jurisdiction and lists) or to a platform by name; never beyond the budget (422 FUND_BUDGET_EXCEEDED)',
  })
  @ApiCreatedResponse({ type: AllocationMadeDto })
  async allocate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AllocateRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ): Promise<AllocationMadeDto> {
    const { membershipId, platform } = body.recipient;
    if ((membershipId === undefined) === (platform === undefined)) {
      throw new HttpError(
        errorResponse(400, 'VALIDATION_FAILED', 'recipient: give exactly one of membershipId and platform', [
          { field: 'recipient', message: 'exactly one of membershipId and platform' },
        ]),
      );
    }
    const context = commandContext(request, caller);
    const fund: Aggregate<FundState> = await this.commands.execute(
      new AllocateFundCommand(
        id,
        randomUUID(),
        {
          recipient: membershipId !== undefined ? { membershipId } : { platform: platform! },
          amount: body.amount,
          purpose: body.purpose,
        },
        caller,
        context,
      ),
    );
    // A repeated Idempotency-Key answers the allocation the first request made.
    return { id: fund.state.allocations.at(-1)!.allocationId, fund: fundDto(id, fund) };
  }

  @Post(':id/allocations/:allocationId/payments')
  @HttpCode(201)
  @Roles('officer')
  @ApiOperation({
    summary:
      'Record a payment (拨付) against an allocation with the number of the document that approved it; never beyond the allocation (422 PAYMENT_EXCEEDS_ALLOCATION)',
  })
  @ApiCreatedResponse({ type: PaymentRecordedDto })
  async pay(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('allocationId', new ParseUUIDPipe()) allocationId: string,
    @Body() body: PaymentRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ): Promise<PaymentRecordedDto> {
    const documentNumber = parseDocumentNumber(body.documentNumber);
    const paymentId = randomUUID();
    const fund: Aggregate<FundState> = await this.commands.execute(
      new RecordFundPaymentCommand(
        id,
        allocationId,
        paymentId,
        {
          amount: body.amount,
          documentNumber: documentNumber.ok ? documentNumber.value.text : body.documentNumber,
        },
        caller,
        commandContext(request, caller),
      ),
    );
    const payments = fund.state.allocations.find((a) => a.allocationId === allocationId)!.payments;
    return { id: payments.at(-1)!.paymentId, fund: fundDto(id, fund) };
  }
}
