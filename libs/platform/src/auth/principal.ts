/** The roles of shared/API.md. `system` is reserved for events the engine itself emits. */
export const ROLES = ['enterprise', 'officer', 'expert', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from a verified token. */
export interface Principal {
  sub: string;
  role: Role;
  /** The enterprise's unified social credit code (role enterprise). */
  org?: string;
  /** Dotted jurisdiction path such as `js.wuxi.xinwu` (role officer). */
  jurisdiction?: string;
  /**
   * When the caller's right ends (the token's `exp`, epoch seconds), when known: live streams
   * end then. Never part of what is recorded about an actor.
   */
  expiresAt?: number;
}

const JURISDICTION = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;

export function isJurisdiction(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 128 && JURISDICTION.test(value);
}

/**
 * True when `scope` is `target` or an ancestor of it: `js.wuxi` covers `js.wuxi` and
 * `js.wuxi.xinwu`, but not `js.wuxiang`. Jurisdictions nest province > city > district > park.
 */
export function jurisdictionCovers(scope: string, target: string): boolean {
  return target === scope || target.startsWith(`${scope}.`);
}
