import {
  DEVELOPMENT_JWT_SECRET,
  isJurisdiction,
  type Principal,
  ROLES,
  type Role,
  signToken,
} from '@engine/platform';
import { type CliCommand, CliUsageError, parseOptions } from './command';

/** Prints a bearer token signed with JWT_SECRET, for development, demos and tests. */
export const tokenCommand: CliCommand = {
  name: 'token',
  usage: 'token --role ROLE --sub ID [--jurisdiction PATH] [--org CREDITCODE] [--ttl 8h]',
  summary: 'print a development bearer token (HS256 with JWT_SECRET)',
  async run(args, config) {
    const { values } = parseOptions('token', args, {
      role: { type: 'string' },
      sub: { type: 'string' },
      jurisdiction: { type: 'string' },
      org: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    });
    if (!values.role || !(ROLES as readonly string[]).includes(values.role)) {
      throw new CliUsageError(`token: --role must be one of ${ROLES.join(', ')}`);
    }
    if (!values.sub) throw new CliUsageError('token: --sub is required');
    if (config.JWT_JWKS_URL)
      throw new CliUsageError('token: JWT_JWKS_URL is set; tokens come from your identity provider');
    const principal: Principal = { sub: values.sub, role: values.role as Role };
    if (principal.role === 'officer') {
      if (!isJurisdiction(values.jurisdiction)) {
        throw new CliUsageError(
          'token: an officer needs --jurisdiction, a dotted path such as js.wuxi or js.wuxi.xinwu',
        );
      }
      principal.jurisdiction = values.jurisdiction;
    }
    if (principal.role === 'enterprise') {
      if (!values.org || !/^[0-9A-Z]{18}$/.test(values.org)) {
        throw new CliUsageError(
          'token: an enterprise needs --org, its 18-character unified social credit code',
        );
      }
      principal.org = values.org;
    }
    if (!/^\d+[smhd]$/.test(values.ttl!))
      throw new CliUsageError('token: --ttl is a number with s, m, h or d (e.g. 8h)');
    if (config.NODE_ENV === 'production' && config.JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
      throw new CliUsageError('token: refusing to sign with the development secret in production');
    }
    console.log(
      await signToken(principal, config.JWT_SECRET, {
        expiresIn: values.ttl,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
      }),
    );
    return 0;
  },
};
