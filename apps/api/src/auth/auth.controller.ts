import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toDataURL } from 'qrcode';
import { APP_CONFIG, type AppConfig, Clock, errorResponse, type Principal } from '@engine/platform';
import { AccountService, type AccountsTable, passwordProblem } from '@engine/read-models';
import { LiveStreams } from '../applications/live-streams';
import { HttpError } from '../http/http-error';
import { NoBodyPipe } from '../http/no-body.pipe';
import { accountCall, logRefusal } from './account-errors';
import { AuthMailer } from './auth-mailer';
import { type AuthenticatedRequest, Caller, DuringEnrolment, Public } from './auth.decorators';
import {
  ChangePasswordRequest,
  PasswordResetConfirmRequest,
  PasswordResetRequest,
  RegisterEnterpriseAccountRequest,
  SignInRequest,
  TotpCodeRequest,
} from './auth.request.dto';
import { clearedCookies, originAllowed, sessionCookies } from './session-cookies';
import { SignInThrottle } from './sign-in-throttle';

type Request = FastifyRequest & AuthenticatedRequest;

/** The one answer to every failed sign-in: it never tells whether the login exists. */
const SIGN_IN_FAILED = 'the login or the password is wrong';

/** Who the caller is, in the contract's shape. */
export function whoAmI(principal: Principal, name: string) {
  return {
    sub: principal.sub,
    role: principal.role,
    ...(principal.jurisdiction ? { jurisdiction: principal.jurisdiction } : {}),
    ...(principal.org ? { org: principal.org } : {}),
    name,
  };
}

export function principalOf(account: AccountsTable): Principal {
  const principal: Principal = { sub: account.account_id, role: account.role as Principal['role'] };
  if (account.jurisdiction) principal.jurisdiction = account.jurisdiction;
  if (account.org) principal.org = account.org;
  return principal;
}

/**
 * Sign-in for people (docs/security.md): password (+ TOTP) to a server-side session in an
 * HttpOnly cookie, sign-out, self-registration of enterprises, password change and reset,
 * second-factor enrolment. Bearer tokens keep working for machines; /v1/me serves both.
 */
@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(
    @Inject(AccountService) private readonly accounts: AccountService,
    @Inject(SignInThrottle) private readonly throttle: SignInThrottle,
    @Inject(AuthMailer) private readonly mailer: AuthMailer,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LiveStreams) private readonly streams: LiveStreams,
  ) {}

  @Post('auth/sign-in')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with login and password (and TOTP when enrolled): sets the `sid` and `csrf` cookies',
  })
  async signIn(
    @Body() body: SignInRequest,
    @Req() request: Request,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // A login form posted from another site would sign the victim into the attacker's account.
    if (originAllowed(this.config, request) === false)
      throw new HttpError(
        errorResponse(403, 'CSRF_REFUSED', 'sign in from the console'),
        'sign-in from a foreign Origin',
      );
    const now = this.clock.now();
    await this.refuseWhileLocked(body.login, request.ip, now, reply);
    const account = await this.accounts.checkPassword(body.login, body.password);
    if (!account) {
      await this.throttle.failed(body.login, request.ip, now);
      throw new HttpError(errorResponse(401, 'SIGN_IN_FAILED', SIGN_IN_FAILED), 'wrong login or password');
    }
    request.principal = principalOf(account);
    if (account.status !== 'active')
      throw new HttpError(
        errorResponse(403, 'ACCOUNT_DISABLED', 'this account is disabled; ask your administrator'),
        'account disabled',
      );
    if (account.totp_enabled === 1) {
      if (body.totp === undefined)
        throw new HttpError(
          errorResponse(401, 'TOTP_REQUIRED', 'enter the code of your authenticator app'),
          'second factor missing',
        );
      if (!(await this.accounts.checkSecondFactor(account.account_id, body.totp))) {
        await this.throttle.failed(body.login, request.ip, now);
        throw new HttpError(
          errorResponse(401, 'TOTP_INVALID', 'the code is wrong or was already used'),
          'wrong second factor',
        );
      }
    }
    await this.throttle.succeeded(body.login);
    const enrol = account.totp_enabled !== 1 && this.config.AUTH_TOTP_REQUIRED_ROLES.includes(account.role);
    const session = await this.accounts.startSession(account.account_id, enrol);
    const maxAge = Math.floor((Date.parse(session.expiresAt) - now.getTime()) / 1000);
    reply.header('set-cookie', sessionCookies(this.config, session, maxAge));
    reply.header('cache-control', 'no-store');
    return { ...whoAmI(request.principal, account.name), ...(enrol ? { totpEnrolmentRequired: true } : {}) };
  }

  @Post('auth/sign-out')
  @DuringEnrolment()
  @HttpCode(204)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'End this browser session and clear its cookies (bearer callers: nothing to do)' })
  async signOut(
    @Req() request: Request,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body(NoBodyPipe) _: undefined,
  ) {
    if (request.session) {
      await this.accounts.endSession(request.session.id);
      this.streams.endForSession(request.session.id);
    }
    reply.header('set-cookie', clearedCookies(this.config));
  }

  @Post('auth/sign-out-everywhere')
  @DuringEnrolment()
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiBearerAuth()
  @ApiOperation({ summary: "End every session of the caller's account, on every device" })
  async signOutEverywhere(
    @Caller() caller: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body(NoBodyPipe) _: undefined,
  ) {
    const ended = await this.accounts.endSessions(caller.sub);
    this.streams.endFor(caller.sub);
    if (request.session) reply.header('set-cookie', clearedCookies(this.config));
    return { ended };
  }

  @Get('me')
  @DuringEnrolment()
  @ApiCookieAuth()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Who the caller is: {sub, role, jurisdiction?, org?, name}, for a session or a bearer token',
  })
  async me(@Caller() caller: Principal, @Req() request: Request) {
    if (request.session) {
      return {
        ...whoAmI(caller, request.session.name),
        ...(request.session.mfaEnrolment ? { totpEnrolmentRequired: true } : {}),
      };
    }
    const account = await this.accounts.row(caller.sub);
    return whoAmI(caller, account && account.status !== 'pending' ? account.name : caller.sub);
  }

  @Post('auth/register')
  @Public()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'An enterprise registers its own account: credit code (check character verified), company, contact, password',
  })
  async register(@Body() body: RegisterEnterpriseAccountRequest) {
    const view = await accountCall(
      this.accounts.create(
        {
          login: body.login ?? body.creditCode,
          password: body.password,
          name: body.companyName,
          email: body.email,
          mobile: body.mobile,
          contactPerson: body.contactPerson,
          scope: { role: 'enterprise', org: body.creditCode },
          source: 'self-registration',
        },
        { actor: { sub: 'self-registration', role: 'enterprise' } },
      ),
    );
    return { id: view.id, login: view.login, role: view.role, org: view.org };
  }

  @Post('auth/password')
  @HttpCode(204)
  @ApiCookieAuth()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change your password (the current one is asked for); your other sessions end' })
  async changePassword(
    @Body() body: ChangePasswordRequest,
    @Caller() caller: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const account = await this.ownAccount(caller);
    // A stolen session must not become a free password oracle: wrong current passwords count
    // toward the same lockout as failed sign-ins.
    const now = this.clock.now();
    await this.refuseWhileLocked(account.login, request.ip, now, reply);
    if (!(await this.accounts.checkPassword(account.login, body.currentPassword))) {
      await this.throttle.failed(account.login, request.ip, now);
      throw new HttpError(
        errorResponse(403, 'WRONG_PASSWORD', 'the current password is wrong'),
        'wrong current password',
      );
    }
    await accountCall(
      this.accounts.setPassword(
        account.account_id,
        body.newPassword,
        'self',
        { actor: caller },
        request.session?.id,
      ),
      { password: 'newPassword' },
    );
  }

  @Post('auth/password-reset')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Ask for a one-time reset link by email (valid PASSWORD_RESET_MINUTES, single use); always 202, whether or not the login exists',
  })
  async requestReset(@Body() body: PasswordResetRequest) {
    const account = await this.accounts.byLogin(body.login);
    if (account && account.status === 'active') {
      const personal = await this.accounts.personal(account.account_id);
      const email = typeof personal?.email === 'string' ? personal.email : undefined;
      // One link a minute at most: the form cannot be used to flood someone's mailbox.
      if (email && !(await this.accounts.recentToken(account.account_id, 'password-reset', 60_000))) {
        const minutes = this.config.PASSWORD_RESET_MINUTES;
        const token = await this.accounts.issueToken(
          'password-reset',
          account.account_id,
          {},
          minutes * 60_000,
        );
        const link = `${this.config.PUBLIC_URL}/reset-password#token=${token}`;
        await this.mailer.sendResetLink(email, account.name, link, minutes);
      }
    }
    return { accepted: true };
  }

  @Post('auth/password-reset/confirm')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with the token of a reset link (works once); every session ends',
  })
  async confirmReset(@Body() body: PasswordResetConfirmRequest, @Req() request: Request) {
    // A refused password leaves the link usable: the person tries another one.
    const holder = await this.accounts.peekToken('password-reset', body.token);
    const row = holder ? await this.accounts.row(holder) : undefined;
    const problem = row ? passwordProblem(body.password, row.login) : undefined;
    if (problem)
      throw new HttpError(
        errorResponse(400, 'WEAK_PASSWORD', problem, [{ field: 'password', message: problem }]),
      );
    const used = await this.accounts.consumeToken('password-reset', body.token);
    if (!used?.accountId) {
      logRefusal(request, 400, 'reset link unknown, expired or already used');
      throw new HttpError(
        errorResponse(
          400,
          'RESET_LINK_INVALID',
          'this reset link has expired or was already used; ask for a new one',
        ),
      );
    }
    const account = await this.accounts.row(used.accountId);
    if (!account || account.status !== 'active') {
      logRefusal(request, 400, 'reset link of a disabled account');
      throw new HttpError(errorResponse(400, 'RESET_LINK_INVALID', 'this reset link can no longer be used'));
    }
    await accountCall(
      this.accounts.setPassword(account.account_id, body.password, 'reset-link', {
        actor: { sub: account.account_id, role: account.role },
      }),
    );
    await this.accounts.revokeTokens(account.account_id, 'password-reset');
  }

  @Post('auth/totp/enrol')
  @DuringEnrolment()
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Start TOTP enrolment: a new secret, its otpauth:// URI and a QR code (PNG data URL) to scan',
  })
  async enrolTotp(@Caller() caller: Principal, @Body(NoBodyPipe) _: undefined) {
    const account = await this.ownAccount(caller);
    if (account.totp_enabled === 1)
      throw new HttpError(
        errorResponse(409, 'TOTP_ENABLED', 'a second factor is already enrolled; remove it first'),
      );
    const { secret, uri } = await accountCall(this.accounts.beginTotp(account.account_id));
    return { secret, uri, qr: await toDataURL(uri, { margin: 1, width: 240 }) };
  }

  @Post('auth/totp/confirm')
  @DuringEnrolment()
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Confirm enrolment with a code from the app; returns 10 one-time recovery codes, once',
  })
  async confirmTotp(@Body() body: TotpCodeRequest, @Caller() caller: Principal, @Req() request: Request) {
    const account = await this.ownAccount(caller);
    const codes = await accountCall(
      this.accounts.confirmTotp(account.account_id, body.code, { actor: caller }),
    );
    if (!codes)
      throw new HttpError(
        errorResponse(403, 'TOTP_INVALID', 'the code is wrong; check the time on your phone'),
        'wrong TOTP at enrolment',
      );
    if (request.session) await this.accounts.markEnrolled(request.session.id);
    return { recoveryCodes: codes };
  }

  @Post('auth/totp/disable')
  @HttpCode(204)
  @ApiCookieAuth()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Remove your second factor (a current code or a recovery code is asked for); not for roles that must use one',
  })
  async disableTotp(
    @Body() body: TotpCodeRequest,
    @Caller() caller: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const account = await this.ownAccount(caller);
    if (this.config.AUTH_TOTP_REQUIRED_ROLES.includes(account.role))
      throw new HttpError(
        errorResponse(422, 'TOTP_MANDATORY', `role ${account.role} must keep a second factor`),
      );
    // Guessing codes here counts toward the lockout, as at sign-in.
    const now = this.clock.now();
    await this.refuseWhileLocked(account.login, request.ip, now, reply);
    if (!(await this.accounts.checkSecondFactor(account.account_id, body.code))) {
      await this.throttle.failed(account.login, request.ip, now);
      throw new HttpError(
        errorResponse(403, 'TOTP_INVALID', 'the code is wrong or was already used'),
        'wrong TOTP',
      );
    }
    await accountCall(this.accounts.disableTotp(account.account_id, 'self', { actor: caller }));
  }

  /** 429 SIGN_IN_LOCKED with Retry-After while the login or the address is locked. */
  private async refuseWhileLocked(login: string, ip: string, now: Date, reply: FastifyReply): Promise<void> {
    const wait = await this.throttle.lockedFor(login, ip, now);
    if (wait <= 0) return;
    const seconds = Math.ceil(wait / 1000);
    reply.header('retry-after', String(seconds));
    throw new HttpError(
      errorResponse(
        429,
        'SIGN_IN_LOCKED',
        `too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} min`,
      ),
      'sign-in locked after repeated failures',
    );
  }

  private async ownAccount(caller: Principal): Promise<AccountsTable> {
    const account = await this.accounts.row(caller.sub);
    if (!account || account.status !== 'active')
      throw new HttpError(
        errorResponse(
          409,
          'NO_ACCOUNT',
          'this needs a signed-in account (a bearer token without an account has none)',
        ),
      );
    return account;
  }
}
