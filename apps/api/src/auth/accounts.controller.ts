import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { DomainError, RegisterExpertCommand } from '@engine/incubation';
import { errorResponse, type Principal } from '@engine/platform';
import { ACCOUNT_ROLES, AccountService, type AccountScope } from '@engine/read-models';
import { commandContext } from '../http/command-context';
import { HttpError } from '../http/http-error';
import { NoBodyPipe } from '../http/no-body.pipe';
import { IsCreditCode, IsJurisdiction } from '../http/validators';
import { LiveStreams } from '../applications/live-streams';
import { accountCall } from './account-errors';
import { Caller, Roles } from './auth.decorators';

class AccountScopeRequest {
  @ApiProperty({ enum: ACCOUNT_ROLES, example: 'officer' })
  @IsIn([...ACCOUNT_ROLES])
  role!: AccountScope['role'];

  @ApiPropertyOptional({ example: 'js.wuxi.xinwu', description: 'officers: the jurisdiction they act for' })
  @IsOptional()
  @IsJurisdiction()
  jurisdiction?: string;

  @ApiPropertyOptional({ example: '91320214MA1XK0001X', description: 'enterprise accounts: the credit code' })
  @IsOptional()
  @IsCreditCode()
  org?: string;

  @ApiPropertyOptional({ example: 'finance', description: 'experts: field of expertise' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  field?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'experts: credit codes of enterprises they are affiliated with',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsCreditCode({ each: true })
  affiliations?: string[];
}

export class CreateAccountRequest extends AccountScopeRequest {
  @ApiPropertyOptional({
    example: 'expert-li',
    description: "the account's id (its `sub`); experts: their id in the pool. Default: generated",
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'id must be 1 to 64 letters, digits or . _ : -' })
  id?: string;

  @ApiProperty({ example: 'wang.xinwu' })
  @Matches(/^[\p{L}\p{N}._@+-]{3,64}$/u, { message: 'login must be 3 to 64 letters, digits or . _ @ + -' })
  login!: string;

  @ApiProperty({ example: '王科长' })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({
    description: 'initial password: at least 10 characters, not the login, not a common password',
  })
  @IsString()
  @Length(1, 256)
  password!: string;

  @ApiPropertyOptional({ example: 'wang@xinwu.gov.cn', description: 'for reset links; sealed' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;

  @ApiPropertyOptional({ example: '13812345678', description: 'sealed' })
  @IsOptional()
  @Matches(/^(\+?86)?1\d{10}$/, { message: 'mobile must be a mainland mobile number such as 13812345678' })
  mobile?: string;
}

export class ChangeRoleRequest extends AccountScopeRequest {}

export class DisableAccountRequest {
  @ApiPropertyOptional({ example: '调离岗位' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class AdminPasswordRequest {
  @ApiProperty({ description: 'a new password for the account; its sessions end' })
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class AccountListQuery {
  @IsOptional()
  @IsIn([...ACCOUNT_ROLES])
  role?: string;

  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: string;
}

/**
 * Admins manage people's accounts (docs/security.md). Each change is an event on the account's
 * stream, so the audit log shows who granted what; a disable or a role change ends the
 * account's sessions at once, on every replica (they live in the read-model database).
 */
@ApiTags('accounts')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('v1/accounts')
export class AccountsController {
  constructor(
    @Inject(AccountService) private readonly accounts: AccountService,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(LiveStreams) private readonly streams: LiveStreams,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Create an officer, expert, auditor, admin (or enterprise) account' })
  async create(
    @Body() body: CreateAccountRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const context = commandContext(request, caller);
    const id =
      body.id ?? (body.role === 'expert' ? `expert-${context.correlationId.slice(0, 8)}` : undefined);
    if (body.role === 'expert' && body.field) {
      // An expert signs in as its pool id: the pool learns of it first (an existing one is kept).
      try {
        await this.commands.execute(
          new RegisterExpertCommand(
            { id: id!, name: body.name, field: body.field, affiliations: body.affiliations ?? [] },
            { ...context, idempotencyKey: undefined, requestHash: undefined },
          ),
        );
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'EXPERT_EXISTS')) throw error;
      }
    }
    return accountCall(
      this.accounts.create(
        {
          accountId: id,
          login: body.login,
          password: body.password,
          name: body.name,
          email: body.email,
          mobile: body.mobile,
          scope: scopeOf(body),
          source: 'admin',
        },
        { actor: caller, correlationId: context.correlationId },
      ),
    );
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Accounts, oldest first (no contact data, no secrets)' })
  list(@Query() query: AccountListQuery) {
    return this.accounts.list(query);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One account' })
  async get(@Param('id') id: string) {
    const view = await this.accounts.view(id);
    if (!view) throw new HttpError(errorResponse(404, 'NOT_FOUND', 'no such account'));
    return view;
  }

  @Post(':id/disable')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Disable an account: it can no longer sign in, and its sessions end at once' })
  disable(@Param('id') id: string, @Body() body: DisableAccountRequest, @Caller() caller: Principal) {
    if (id === caller.sub)
      throw new HttpError(errorResponse(422, 'SELF_DISABLE', 'an admin cannot disable their own account'));
    return this.endingStreams(
      id,
      accountCall(this.accounts.execute(id, { kind: 'disable', reason: body.reason }, { actor: caller })),
    );
  }

  @Post(':id/enable')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Enable a disabled account again' })
  enable(@Param('id') id: string, @Caller() caller: Principal, @Body(NoBodyPipe) _: undefined) {
    return accountCall(this.accounts.execute(id, { kind: 'enable' }, { actor: caller }));
  }

  @Post(':id/role')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: "Change an account's role or jurisdiction: its sessions end at once" })
  changeRole(@Param('id') id: string, @Body() body: ChangeRoleRequest, @Caller() caller: Principal) {
    return this.endingStreams(
      id,
      accountCall(this.accounts.execute(id, { kind: 'change-role', to: scopeOf(body) }, { actor: caller })),
    );
  }

  @Post(':id/password')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({
    summary: "Reset an account's password (tell the person by a channel of your own); its sessions end",
  })
  async resetPassword(
    @Param('id') id: string,
    @Body() body: AdminPasswordRequest,
    @Caller() caller: Principal,
  ) {
    await this.endingStreams(
      id,
      accountCall(this.accounts.setPassword(id, body.password, 'admin-reset', { actor: caller })),
    );
  }

  @Post(':id/totp/reset')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({
    summary: "Remove an account's second factor (a lost phone); it enrols again at next sign-in",
  })
  async resetTotp(@Param('id') id: string, @Caller() caller: Principal, @Body(NoBodyPipe) _: undefined) {
    await accountCall(this.accounts.disableTotp(id, 'admin', { actor: caller }));
    await this.accounts.endSessions(id);
    this.streams.endFor(id, 'access-changed');
  }

  /** Once the account's sessions have ended, so do the live streams this replica holds for it. */
  private async endingStreams<T>(id: string, change: Promise<T>): Promise<T> {
    const result = await change;
    this.streams.endFor(id, 'access-changed');
    return result;
  }
}

function scopeOf(body: AccountScopeRequest): AccountScope {
  return {
    role: body.role,
    ...(body.jurisdiction ? { jurisdiction: body.jurisdiction } : {}),
    ...(body.org ? { org: body.org } : {}),
    ...(body.field ? { field: body.field } : {}),
    ...(body.affiliations ? { affiliations: body.affiliations } : {}),
  };
}
