import { Controller, Get, Inject, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  APP_CONFIG,
  type AppConfig,
  Clock,
  errorResponse,
  localizeError,
  negotiateLocale,
} from '@engine/platform';
import { AccountService } from '@engine/read-models';
import { HttpError } from '../http/http-error';
import { accountCall, logRefusal } from './account-errors';
import { Public } from './auth.decorators';
import { externalAccount, mapClaims, OidcRelyingParty, openIdClient } from './oidc';
import { sessionCookies } from './session-cookies';

/** Provider token for the relying party; null when OIDC_ISSUER is not set. */
export const OIDC_RELYING_PARTY = 'OIDC_RELYING_PARTY';

const LOGIN_TTL_MS = 10 * 60_000;

/**
 * A refused single sign-on, as the sign-in page is told it (`/sign-in?sso_error=no-role`): a
 * short word per error code, never a token, a code or the provider's own text. The page asks
 * `GET /v1/auth/oidc?sso_error=…` for the message (Chinese from the error catalogue).
 */
export const SSO_ERRORS: Record<string, { word: string; message: string }> = {
  OIDC_PROVIDER_REFUSED: {
    word: 'provider-refused',
    message: 'the identity provider refused this sign-in; try again or ask your administrator',
  },
  OIDC_STATE_INVALID: {
    word: 'expired',
    message: 'this sign-in has expired or was already used; start again',
  },
  OIDC_FAILED: {
    word: 'failed',
    message: 'the identity provider did not confirm this sign-in; try again or ask your administrator',
  },
  OIDC_NO_ROLE: {
    word: 'no-role',
    message:
      'your identity-provider account has no role or jurisdiction in this system; ask your administrator',
  },
  ACCOUNT_DISABLED: { word: 'disabled', message: 'this account is disabled; ask your administrator' },
  OIDC_UNAVAILABLE: {
    word: 'unavailable',
    message: 'the identity provider cannot be reached now; try again later or sign in with a password',
  },
};

/** A machine client that asked for JSON (and not a page) keeps the JSON error of a refusal. */
const wantsJson = (request: FastifyRequest) => {
  const accept = String(request.headers.accept ?? '');
  return /\bapplication\/json\b/i.test(accept) && !/\btext\/html\b/i.test(accept);
};

/** Only a path of this site: an open redirect would hand a signed-in browser to anyone. */
const safeReturnTo = (value: unknown) =>
  typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%#~]*$/.test(value) && value.length <= 512
    ? value
    : '/';

/**
 * Single sign-on through an OpenID provider (docs/deploy.md): authorization code flow with
 * PKCE, state and nonce. The person's account here is made (or brought up to date) from the
 * claims at each sign-in, through the configured mapping; its changes are events like any
 * other account's, and a disabled account stays refused whatever the provider says.
 */
@ApiTags('auth')
@Controller('v1/auth/oidc')
export class OidcController {
  private readonly logger = new Logger(OidcController.name);

  constructor(
    @Inject(OIDC_RELYING_PARTY) private readonly rp: OidcRelyingParty | null,
    @Inject(AccountService) private readonly accounts: AccountService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private relyingParty(): OidcRelyingParty {
    if (!this.rp)
      throw new HttpError(errorResponse(404, 'OIDC_NOT_CONFIGURED', 'single sign-on is not configured here'));
    return this.rp;
  }

  @Get()
  @Public()
  @ApiOperation({
    summary:
      'Whether single sign-on is configured here: {enabled, loginUrl}; the sign-in page shows its button only then. ' +
      'With sso_error (from a refused callback), also error: {code, message} in the caller’s language',
  })
  @ApiQuery({
    name: 'sso_error',
    required: false,
    enum: Object.values(SSO_ERRORS).map((e) => e.word),
    description: 'the word a refused callback put in /sign-in?sso_error=',
  })
  status(@Query('sso_error') ssoError: unknown, @Req() request: FastifyRequest) {
    const status = { enabled: this.rp !== null, loginUrl: '/v1/auth/oidc/login' };
    const found = Object.entries(SSO_ERRORS).find(([, e]) => e.word === ssoError);
    if (!found) return status;
    const [code, { message }] = found;
    const locale = negotiateLocale(request.headers['accept-language']);
    return {
      ...status,
      error: { code, message: localizeError(errorResponse(400, code, message), locale).message },
    };
  }

  @Get('login')
  @Public()
  @ApiOperation({
    summary:
      'Start single sign-on: redirects to the identity provider (PKCE, state, nonce); an unreachable provider ' +
      'redirects (303) to /sign-in?sso_error=unavailable, or is a 503 JSON error with Accept: application/json',
  })
  async login(
    @Query('returnTo') returnTo: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const rp = this.relyingParty();
    const oidc = await openIdClient();
    let configuration: Awaited<ReturnType<OidcRelyingParty['discover']>>;
    try {
      configuration = await rp.discover();
    } catch (error) {
      const reason = `the identity provider cannot be reached: ${(error as Error).message}`;
      if (wantsJson(request)) throw new HttpError(errorResponse(503, 'OIDC_UNAVAILABLE', reason));
      // A person's browser: back to the sign-in page, which says so and offers the password form.
      this.logger.warn(reason);
      return reply
        .code(303)
        .header('cache-control', 'no-store')
        .header('location', `/sign-in?sso_error=${SSO_ERRORS.OIDC_UNAVAILABLE.word}`)
        .send();
    }
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const state = await this.accounts.issueToken(
      'oidc-login',
      null,
      { verifier, nonce, returnTo: safeReturnTo(returnTo) },
      LOGIN_TTL_MS,
    );
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: rp.redirectUri,
      scope: this.config.OIDC_SCOPES,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return reply.code(302).header('cache-control', 'no-store').header('location', url.href).send();
  }

  @Get('callback')
  @Public()
  @ApiOperation({
    summary:
      "The identity provider's redirect back: signs the person in and redirects to the console; " +
      'a refusal redirects (303) to /sign-in?sso_error=<word>, or is a JSON error with Accept: application/json',
  })
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const rp = this.relyingParty();
    try {
      return await this.signIn(rp, request, reply);
    } catch (error) {
      if (!(error instanceof HttpError) || wantsJson(request)) throw error;
      // A person's browser: back to the sign-in page with a word for what went wrong (its
      // message from GET /v1/auth/oidc), the same access-refused line as the JSON answer.
      const { statusCode, code } = error.body;
      logRefusal(request, statusCode, error.reason ?? code);
      const word = SSO_ERRORS[code]?.word ?? SSO_ERRORS.OIDC_FAILED.word;
      return reply
        .code(303)
        .header('cache-control', 'no-store')
        .header('location', `/sign-in?sso_error=${word}`)
        .send();
    }
  }

  private async signIn(rp: OidcRelyingParty, request: FastifyRequest, reply: FastifyReply) {
    const query = request.query as Record<string, unknown>;
    const state = typeof query.state === 'string' ? query.state : '';
    const login = await this.accounts.consumeToken('oidc-login', state);
    if (!login) {
      throw new HttpError(
        errorResponse(401, 'OIDC_STATE_INVALID', SSO_ERRORS.OIDC_STATE_INVALID.message),
        'OIDC callback with an unknown, expired or used state',
      );
    }
    if (query.error !== undefined) {
      // The provider said no (the person cancelled, or its policy refused): its error code
      // only, when it looks like one, and never its free-text description.
      const said =
        typeof query.error === 'string' && /^[\w.-]{1,64}$/.test(query.error) ? query.error : 'other';
      throw new HttpError(
        errorResponse(401, 'OIDC_PROVIDER_REFUSED', SSO_ERRORS.OIDC_PROVIDER_REFUSED.message),
        `OIDC provider refused the sign-in: ${said}`,
      );
    }
    const { verifier, nonce, returnTo } = login.payload as {
      verifier: string;
      nonce: string;
      returnTo: string;
    };
    const oidc = await openIdClient();
    let claims: Record<string, unknown>;
    try {
      const configuration = await rp.discover();
      const current = new URL(request.url, this.config.PUBLIC_URL);
      const tokens = await oidc.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
    } catch (error) {
      throw new HttpError(
        errorResponse(401, 'OIDC_FAILED', SSO_ERRORS.OIDC_FAILED.message),
        `OIDC code exchange refused: ${(error as Error).message}`.slice(0, 300),
      );
    }
    const mapped = mapClaims(rp.mapping, claims);
    if (!mapped) {
      throw new HttpError(
        errorResponse(403, 'OIDC_NO_ROLE', SSO_ERRORS.OIDC_NO_ROLE.message),
        'OIDC claims matched no mapping rule',
      );
    }
    const external = externalAccount(rp.issuer, String(claims.sub));
    const system = { actor: { sub: 'oidc', role: 'system' } };
    let account = await this.accounts.byExternalId(external.externalId);
    if (!account) {
      await accountCall(
        this.accounts.create(
          {
            accountId: external.accountId,
            login: external.login,
            name: mapped.name,
            ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
            scope: mapped.scope,
            source: 'oidc',
            externalId: external.externalId,
          },
          system,
        ),
      );
    } else if (account.status === 'active') {
      // The provider is the source of the role: a changed mapping or claim is recorded here.
      await accountCall(
        this.accounts.execute(account.account_id, { kind: 'change-role', to: mapped.scope }, system),
      );
    }
    account = (await this.accounts.byExternalId(external.externalId))!;
    if (account.status !== 'active') {
      throw new HttpError(
        errorResponse(403, 'ACCOUNT_DISABLED', SSO_ERRORS.ACCOUNT_DISABLED.message),
        'OIDC sign-in of a disabled account',
      );
    }
    // The provider is trusted for the second factor of single sign-on (configure it there).
    const session = await this.accounts.startSession(account.account_id, false);
    const maxAge = Math.floor((Date.parse(session.expiresAt) - this.clock.now().getTime()) / 1000);
    return reply
      .code(303)
      .header('set-cookie', sessionCookies(this.config, session, maxAge))
      .header('cache-control', 'no-store')
      .header('location', returnTo)
      .send();
  }
}
