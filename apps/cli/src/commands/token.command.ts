import {
  DEVELOPMENT_JWT_SECRET,
  isJurisdiction,
  type Principal,
  ROLES,
  type Role,
  signToken,
} from '@engine/platform';
import { type CliCommand, type CliOptionSpecs, CliUsageError, parseOptions } from './command';
import { t } from './locale';

const options = {
  role: {
    type: 'string',
    description: t(`角色：${ROLES.join('、')}`, `role: ${ROLES.join(', ')}`),
    choices: ROLES,
  },
  sub: {
    type: 'string',
    placeholder: 'ID',
    description: t('令牌主体（用户 ID）', "the token's subject (user id)"),
  },
  jurisdiction: {
    type: 'string',
    placeholder: 'PATH',
    description: t(
      '辖区（officer 必填），如 js.wuxi.xinwu',
      "jurisdiction (officer's, required), e.g. js.wuxi.xinwu",
    ),
  },
  org: {
    type: 'string',
    placeholder: 'CREDITCODE',
    description: t(
      '企业统一社会信用代码（enterprise 必填）',
      "the enterprise's unified social credit code (required for enterprise)",
    ),
  },
  ttl: {
    type: 'string',
    default: '8h',
    description: t('有效期，如 8h、30m、7d', 'lifetime, e.g. 8h, 30m, 7d'),
  },
} satisfies CliOptionSpecs;

/** Prints a bearer token signed with JWT_SECRET, for development, demos and tests. */
export const tokenCommand: CliCommand = {
  name: 'token',
  usage: 'token --role ROLE --sub ID [--jurisdiction PATH] [--org CREDITCODE] [--ttl 8h]',
  summary: t(
    '签发开发用的 bearer 令牌（以 JWT_SECRET 做 HS256 签名）',
    'print a development bearer token (HS256 with JWT_SECRET)',
  ),
  options,
  async run(args, config) {
    const { values } = parseOptions('token', args, options, []);
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
