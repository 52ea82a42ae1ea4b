import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { EventStore } from '@engine/event-store';
import { APP_CONFIG, type AppConfig, Clock, PersonalDataVault } from '@engine/platform';
import { AccountService, ReadModelDatabase } from '@engine/read-models';
import { AuthMailer } from './auth-mailer';
import { SignInThrottle } from './sign-in-throttle';
import { OidcRelyingParty } from './oidc';
import { OIDC_RELYING_PARTY } from './oidc.controller';

@Injectable()
class AuthLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(SignInThrottle) private readonly throttle: SignInThrottle,
    @Inject(AuthMailer) private readonly mailer: AuthMailer,
  ) {}
  onApplicationShutdown(): void {
    this.throttle.close();
    this.mailer.close();
  }
}

/** Accounts, sessions, the failed-sign-in throttle and the sign-in mailer (docs/security.md). */
export const AUTH_PROVIDERS: Provider[] = [
  {
    provide: AccountService,
    inject: [EventStore, ReadModelDatabase, PersonalDataVault, Clock, APP_CONFIG],
    useFactory: (
      store: EventStore,
      db: ReadModelDatabase,
      vault: PersonalDataVault,
      clock: Clock,
      config: AppConfig,
    ) =>
      new AccountService({
        store,
        db,
        vault,
        now: () => clock.now(),
        sessionIdleMs: config.SESSION_IDLE_MINUTES * 60_000,
        sessionAbsoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000,
      }),
  },
  {
    provide: SignInThrottle,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) =>
      SignInThrottle.connect(config.REDIS_URL, config.RATE_LIMIT_NAMESPACE, {
        maxPerLogin: config.AUTH_MAX_FAILURES,
        maxPerAddress: config.AUTH_MAX_FAILURES_PER_ADDRESS,
        lockoutMs: config.AUTH_LOCKOUT_MINUTES * 60_000,
      }),
  },
  { provide: AuthMailer, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new AuthMailer(config) },
  {
    provide: OIDC_RELYING_PARTY,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => (config.OIDC_ISSUER ? new OidcRelyingParty(config) : null),
  },
  AuthLifecycle,
];
