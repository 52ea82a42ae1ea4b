import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { AppConfig } from '@engine/platform';
import { isJurisdiction, validateCreditCode } from '@engine/platform';
import type { AccountScope } from '@engine/read-models';

/**
 * OpenID Connect single sign-on (docs/deploy.md, "Connecting an identity provider"): the
 * authorization code flow with PKCE, state and nonce, through `openid-client` (a certified
 * relying-party library). Who a person is here (role, jurisdiction, org) comes from their
 * claims through a mapping that is configuration (OIDC_CLAIMS_MAPPING_FILE), never code.
 */

const condition = z
  .object({
    claim: z.string().min(1),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    contains: z.string().optional(),
    present: z.boolean().optional(),
  })
  .strict();

const rule = z
  .object({
    when: z.union([condition, z.array(condition).min(1)]),
    role: z.enum(['enterprise', 'officer', 'expert', 'auditor', 'admin']),
    jurisdiction: z.string().refine(isJurisdiction, 'must be a dotted path such as js.wuxi.xinwu').optional(),
    /** Take the jurisdiction from this claim (its value, through `jurisdictionMap` when given). */
    jurisdictionClaim: z.string().optional(),
    jurisdictionMap: z.record(z.string(), z.string().refine(isJurisdiction)).optional(),
    /** Enterprises: the claim holding the credit code. */
    orgClaim: z.string().optional(),
    field: z.string().optional(),
  })
  .strict();

export const claimsMappingSchema = z
  .object({
    /** The claim shown as the person's name (default `name`, then `preferred_username`, then `sub`). */
    nameClaim: z.string().default('name'),
    /** First rule whose conditions all hold decides; none: the person may not sign in here. */
    rules: z.array(rule).min(1),
  })
  .strict();

export type ClaimsMapping = z.output<typeof claimsMappingSchema>;

export function loadClaimsMapping(file: string): ClaimsMapping {
  const text = readFileSync(file, 'utf8');
  const parsed = claimsMappingSchema.safeParse(parseYaml(text));
  if (!parsed.success)
    throw new Error(
      `OIDC_CLAIMS_MAPPING_FILE ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

const holds = (claims: Record<string, unknown>, c: z.output<typeof condition>): boolean => {
  const value = claims[c.claim];
  if (c.present !== undefined && (value !== undefined && value !== null) !== c.present) return false;
  if (c.equals !== undefined && value !== c.equals) return false;
  if (c.contains !== undefined) {
    if (Array.isArray(value)) return value.includes(c.contains);
    if (typeof value === 'string') return value.split(/[\s,]+/).includes(c.contains);
    return false;
  }
  return c.present !== undefined || c.equals !== undefined || value !== undefined;
};

/** The scope and display name the mapping gives these claims, or undefined when no rule applies. */
export function mapClaims(
  mapping: ClaimsMapping,
  claims: Record<string, unknown>,
): { scope: AccountScope; name: string } | undefined {
  const name = [claims[mapping.nameClaim], claims.preferred_username, claims.sub].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  )!;
  for (const r of mapping.rules) {
    const conditions = Array.isArray(r.when) ? r.when : [r.when];
    if (!conditions.every((c) => holds(claims, c))) continue;
    const scope: AccountScope = { role: r.role };
    if (r.role === 'officer') {
      const raw = r.jurisdictionClaim ? claims[r.jurisdictionClaim] : undefined;
      const jurisdiction =
        r.jurisdiction ??
        (typeof raw === 'string' ? (r.jurisdictionMap ? r.jurisdictionMap[raw] : raw) : undefined);
      if (!isJurisdiction(jurisdiction)) continue;
      scope.jurisdiction = jurisdiction;
    }
    if (r.role === 'enterprise') {
      const org = r.orgClaim ? claims[r.orgClaim] : undefined;
      if (!validateCreditCode(org).valid) continue;
      scope.org = org as string;
    }
    if (r.role === 'expert') {
      scope.field = r.field ?? 'general';
      scope.affiliations = [];
    }
    return { scope, name: name.slice(0, 100) };
  }
  return undefined;
}

/** The account id and login an identity-provider subject gets here (opaque: the sub may be personal). */
export function externalAccount(issuer: string, sub: string) {
  const externalId = `${issuer}#${sub}`;
  const id = createHash('sha256').update(externalId).digest('hex').slice(0, 24);
  return { externalId, accountId: `oidc-${id}`, login: `oidc-${id}` };
}

/** openid-client is an ES module: loaded on first use (Node's require(esm) in the build, SWC in Jest). */
type OpenIdClient = typeof import('openid-client');
let client: Promise<OpenIdClient> | undefined;
export const openIdClient = () => (client ??= import('openid-client'));

/** The relying party: discovery once (retried on failure), then authorization URLs and code exchange. */
export class OidcRelyingParty {
  private configuration: Promise<import('openid-client').Configuration> | undefined;
  readonly mapping: ClaimsMapping;
  readonly redirectUri: string;

  constructor(private readonly config: AppConfig) {
    this.mapping = loadClaimsMapping(config.OIDC_CLAIMS_MAPPING_FILE!);
    this.redirectUri = `${config.PUBLIC_URL}/v1/auth/oidc/callback`;
  }

  get issuer(): string {
    return this.config.OIDC_ISSUER!;
  }

  discover() {
    this.configuration ??= openIdClient().then((oidc) =>
      oidc.discovery(
        new URL(this.config.OIDC_ISSUER!),
        this.config.OIDC_CLIENT_ID!,
        this.config.OIDC_CLIENT_SECRET,
        undefined,
        // Plain http only outside production (a provider started on loopback in tests).
        this.config.OIDC_ISSUER!.startsWith('http:') && this.config.NODE_ENV !== 'production'
          ? { execute: [oidc.allowInsecureRequests] }
          : undefined,
      ),
    );
    this.configuration.catch(() => (this.configuration = undefined));
    return this.configuration;
  }
}
