/**
 * Who may call what: the permission matrix of the HTTP api, as data. It is the specification;
 * enforcement stays where it is (the @Roles() decorators, the guard and the reach checks in
 * handlers and use cases). `test/permissions.e2e-spec.ts` calls every cell against the booted
 * app with real tokens and fails on any difference, and fails when the app serves a route
 * that has no row here. docs/permissions.md is generated from this file
 * (`npm run docs:permissions`; a unit test fails when the committed page is stale).
 *
 * Adding a route: add a row below (method and path exactly as the controller registers them,
 * `:param` included), then a scenario with the same key in test/permissions/scenarios.ts that
 * makes what a successful call needs and calls, then `npm run docs:permissions`.
 *
 * Callers. Each cell names a kind of caller relative to the resource the row addresses:
 * - `enterprise:own`: the enterprise the resource belongs to (its `org` is the credit code);
 * - `enterprise:other`: another registered enterprise;
 * - `officer:own`: an officer of exactly the resource's jurisdiction (the `jurisdiction` of
 *   the row); `officer:above` of its parent (js.wuxi above js.wuxi.xinwu); `officer:below` of a
 *   jurisdiction inside it (js.wuxi.xinwu.park); `officer:other-branch` of a sibling
 *   (js.wuxi.liangxi next to js.wuxi.xinwu);
 * - `expert`, `auditor`, `admin`: those roles; `anonymous`: no token at all.
 *
 * Statuses: 2xx allowed (the exact success status); 401 no valid token; 403 the role (or the
 * caller's position) may never do this; 404 the resource is out of the caller's reach, never
 * told apart from absent; other 4xx only where the row says why.
 */

import { CONSOLE_ROUTES } from '../http/console';

export const CALLER_KINDS = [
  'anonymous',
  'enterprise:own',
  'enterprise:other',
  'officer:own',
  'officer:above',
  'officer:below',
  'officer:other-branch',
  'expert',
  'auditor',
  'admin',
] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type ExpectedStatus = 200 | 201 | 202 | 204 | 401 | 403 | 404 | 409;

export interface PermissionRow {
  method: HttpMethod;
  /** The route pattern as Fastify registers it, e.g. `/v1/applications/:id`. */
  path: string;
  /** What the endpoint does, one line. */
  summary: string;
  /**
   * The jurisdiction the officer relations are measured against (the resource's, or the one
   * named in the body), as the test builds it; `-` when the row has no jurisdiction.
   */
  jurisdiction: string;
  expect: Record<CallerKind, ExpectedStatus>;
  /** Anything a reader of a cell would ask about. */
  note?: string;
}

type Cells = Partial<Record<CallerKind | 'officers' | 'enterprises' | 'others', ExpectedStatus>>;

/**
 * A row from the cells that differ from `others` (default 403; anonymous defaults to 401).
 * `officers` and `enterprises` set the four officer and two enterprise kinds at once.
 */
function row(
  method: HttpMethod,
  path: string,
  summary: string,
  jurisdiction: string,
  cells: Cells,
  note?: string,
): PermissionRow {
  const others = cells.others ?? 403;
  const expect = {} as Record<CallerKind, ExpectedStatus>;
  for (const kind of CALLER_KINDS) {
    const group = kind.startsWith('officer:')
      ? cells.officers
      : kind.startsWith('enterprise:')
        ? cells.enterprises
        : undefined;
    expect[kind] = cells[kind] ?? group ?? (kind === 'anonymous' ? 401 : others);
  }
  return { method, path, summary, jurisdiction, expect, ...(note ? { note } : {}) };
}

const ALL = { others: 200 } as const;
/** Who reads an application's materials: as the application itself. */
const READERS = {
  'enterprise:own': 200,
  'enterprise:other': 404,
  'officer:own': 200,
  'officer:above': 200,
  'officer:below': 404,
  'officer:other-branch': 404,
  auditor: 200,
  expert: 404,
} as const;
const PUBLIC = { others: 200, anonymous: 200 } as const;

export const PERMISSION_MATRIX: readonly PermissionRow[] = [
  // Operations: public, polled by orchestrators and Prometheus.
  row('GET', '/health', 'the contract summary of health', '-', PUBLIC),
  row('GET', '/health/live', 'liveness probe', '-', PUBLIC),
  row('GET', '/health/ready', 'readiness probe', '-', PUBLIC),
  row(
    'GET',
    '/metrics',
    'Prometheus metrics',
    '-',
    PUBLIC,
    'served only with METRICS_ENABLED; keep it off the public network',
  ),

  row('GET', '/v1/programmes', 'the programmes and their policy versions', '-', ALL),
  row(
    'GET',
    '/v1/public/rounds',
    'the rounds open or in publicity, as the public notices show them',
    '-',
    PUBLIC,
  ),
  row('GET', '/v1/labels', 'the label catalogue (zh-CN and en)', '-', ALL),

  row(
    'POST',
    '/v1/enterprises',
    'register an enterprise',
    'js.wuxi.xinwu',
    { 'enterprise:own': 201, 'officer:own': 201, 'officer:above': 201 },
    'enterprise:own registers its own credit code; enterprise:other tries a code that is not its own',
  ),
  row('GET', '/v1/enterprises/:creditCode', 'an enterprise with its applications', 'js.wuxi.xinwu', {
    'enterprise:own': 200,
    'enterprise:other': 404,
    'officer:own': 200,
    'officer:above': 200,
    'officer:below': 404,
    'officer:other-branch': 404,
    auditor: 200,
  }),

  row(
    'POST',
    '/v1/rounds',
    'open a round of a programme',
    'js.wuxi',
    { 'officer:own': 201, 'officer:above': 201 },
    'the round is issued for the jurisdiction in the body, at or below the officer’s own',
  ),
  row(
    'GET',
    '/v1/rounds/:id',
    'a round',
    'js.wuxi',
    {
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 200,
      'officer:other-branch': 404,
      auditor: 200,
    },
    'officers below the issuing jurisdiction see the round they take applications for',
  ),
  row(
    'POST',
    '/v1/rounds/:id/close',
    'close a round early',
    'js.wuxi',
    { 'officer:own': 200, 'officer:above': 200, 'officer:below': 403, 'officer:other-branch': 404 },
    'officers below see the round but may not close it',
  ),

  row('POST', '/v1/applications', 'open a draft application', 'js.wuxi.xinwu', {
    'enterprise:own': 201,
    'enterprise:other': 404,
  }),
  row('PATCH', '/v1/applications/:id', 'change a draft', 'js.wuxi.xinwu', {
    'enterprise:own': 200,
    'enterprise:other': 404,
  }),
  row('POST', '/v1/applications/:id/submit', 'submit a draft', 'js.wuxi.xinwu', {
    'enterprise:own': 200,
    'enterprise:other': 404,
  }),
  row(
    'POST',
    '/v1/applications/:id/reviews',
    'a district (or city) review decision',
    'js.wuxi.xinwu',
    { 'officer:own': 200, 'officer:above': 200, 'officer:below': 404, 'officer:other-branch': 404 },
    'called at the district stage',
  ),
  row(
    'GET',
    '/v1/applications/:id',
    'an application, now or as of an instant (experts on its panel: a blind view)',
    'js.wuxi.xinwu',
    {
      'enterprise:own': 200,
      'enterprise:other': 404,
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 404,
      'officer:other-branch': 404,
      auditor: 200,
      expert: 404,
    },
    'the expert of the matrix sits on no panel; an expert on the panel gets the blind view (test/workflow-eaglet.e2e-spec.ts)',
  ),
  row(
    'GET',
    '/v1/applications/:id/stream',
    "the application's status as server-sent events",
    'js.wuxi.xinwu',
    {
      'enterprise:own': 200,
      'enterprise:other': 404,
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 404,
      'officer:other-branch': 404,
      auditor: 200,
    },
    'asked over a real socket: an open stream never ends',
  ),
  row(
    'POST',
    '/v1/applications/:id/materials',
    'attach a file (multipart, streamed; PDF, OFD, JPEG or PNG by content)',
    'js.wuxi.xinwu',
    { 'enterprise:own': 201, 'enterprise:other': 404 },
    'only while the application is a draft or returned; 413 over the size limits, 415 another type (docs/materials.md)',
  ),
  row(
    'GET',
    '/v1/applications/:id/materials',
    "an application's materials and the programme's requirements",
    'js.wuxi.xinwu',
    READERS,
    'an expert on the panel sees only the kinds the policy marks visibleToExperts; the matrix’s expert sits on no panel',
  ),
  row(
    'GET',
    '/v1/applications/:id/materials/:materialId/content',
    'download one file, with its media type and name',
    'js.wuxi.xinwu',
    READERS,
    'an expert on the panel reads only the kinds the policy marks visibleToExperts',
  ),
  row(
    'DELETE',
    '/v1/applications/:id/materials/:materialId',
    'remove a file from a draft or returned application',
    'js.wuxi.xinwu',
    { 'enterprise:own': 200, 'enterprise:other': 404 },
  ),
  row('GET', '/v1/applications/:id/history', "an application's events", 'js.wuxi.xinwu', {
    'enterprise:own': 200,
    'enterprise:other': 404,
    'officer:own': 200,
    'officer:above': 200,
    'officer:below': 404,
    'officer:other-branch': 404,
    auditor: 200,
  }),

  row(
    'GET',
    '/v1/worklist',
    "what awaits the officer's action",
    'js.wuxi.xinwu',
    { officers: 200 },
    'always 200: the list is filtered to the officer’s jurisdiction',
  ),
  row(
    'GET',
    '/v1/worklist/stream',
    "status changes of the officer's applications as server-sent events",
    'js.wuxi.xinwu',
    { officers: 200 },
    'asked over a real socket; only applications at or below the officer’s jurisdiction are sent',
  ),

  row(
    'GET',
    '/v1/rounds/:id/stats',
    "a round's applications counted by status and district",
    'js.wuxi',
    {
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 200,
      'officer:other-branch': 404,
      auditor: 200,
    },
    'an officer below the issuer gets the counts of their own jurisdiction only',
  ),
  row(
    'GET',
    '/v1/rounds',
    'rounds with their status and counts',
    '-',
    { officers: 200, auditor: 200 },
    'officers get the rounds issued at, above or below their jurisdiction',
  ),
  row(
    'GET',
    '/v1/rounds/:id/applications',
    "a round's applications, filtered, sorted and paged",
    'js.wuxi',
    {
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 200,
      'officer:other-branch': 404,
      auditor: 200,
    },
    'an officer below the issuer gets the applications of their own jurisdiction only',
  ),
  row(
    'POST',
    '/v1/rounds/:id/panels',
    'draw the expert panels of every application of a round in expert review',
    'js.wuxi',
    { 'officer:own': 200, 'officer:above': 200, 'officer:below': 403, 'officer:other-branch': 404 },
    'panels are drawn by officers of the issuing jurisdiction (or above)',
  ),
  row(
    'GET',
    '/v1/rounds/:id/panels',
    "a round's expert-review progress: each application's seats drawn, scored, overdue",
    'js.wuxi',
    {
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 200,
      'officer:other-branch': 404,
      auditor: 200,
    },
    'an officer below the issuer sees the applications of their own jurisdiction only',
  ),
  row(
    'POST',
    '/v1/applications/:id/panel/replacements',
    'replace an expert whose scoring deadline passed without a score',
    'js.wuxi',
    { 'officer:own': 409, 'officer:above': 409, 'officer:below': 404, 'officer:other-branch': 404 },
    "the scenario's expert is not overdue: an officer who may replace gets 409 EXPERT_NOT_OVERDUE",
  ),

  // Expert review
  row('POST', '/v1/experts', 'add an expert to the pool', '-', { admin: 201 }),
  row('GET', '/v1/assignments', "the caller's seats on expert panels (blind)", '-', { expert: 200 }),
  row(
    'POST',
    '/v1/applications/:id/panel',
    'draw the expert panel at random',
    'js.wuxi',
    { 'officer:own': 200, 'officer:above': 200, 'officer:below': 404, 'officer:other-branch': 404 },
    'the round is issued by js.wuxi; the application is in js.wuxi.xinwu, which js.wuxi.park does not cover',
  ),
  row(
    'POST',
    '/v1/applications/:id/scores',
    'an expert on the panel scores',
    '-',
    { expert: 200 },
    'the expert of the scenario sits on the panel; an expert who does not gets 404',
  ),
  row(
    'POST',
    '/v1/applications/:id/conflict-declaration',
    'an expert on the panel declares a conflict of interest, or none, before scoring',
    '-',
    { expert: 200 },
    'the expert of the scenario sits on the panel and declares none; an expert who does not gets 404',
  ),

  // Publicity, objections, final list
  row('POST', '/v1/rounds/:id/publicity', "publicise the round's passed applications", 'js.wuxi', {
    'officer:own': 200,
    'officer:above': 200,
    'officer:below': 404,
    'officer:other-branch': 404,
  }),
  row(
    'POST',
    '/v1/rounds/:id/finalize',
    'finalize the list',
    'js.wuxi',
    { 'officer:own': 409, 'officer:above': 409, 'officer:below': 404, 'officer:other-branch': 404 },
    'the scenario is in publicity: an officer who may finalize gets 409 PUBLICITY_RUNNING',
  ),
  row(
    'GET',
    '/v1/rounds/:id/list',
    'the proposed or final list, now or as of an instant',
    'js.wuxi',
    {
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 404,
      'officer:other-branch': 404,
      auditor: 200,
      others: 404,
      anonymous: 404,
    },
    'the scenario is before publicity; while a round is publicised its list is public (200 to anyone)',
  ),

  // Reference registers and screening (docs/policies.md, "Registers")
  row(
    'POST',
    '/v1/registers/:register',
    "import a register (CSV or XLSX) for the officer's own jurisdiction: a new version",
    '-',
    { officers: 201 },
    'each officer imports for their own jurisdiction; 400 with line numbers for a bad file, 409 for the current version again',
  ),
  row(
    'GET',
    '/v1/registers/:register',
    "a register's current version for a jurisdiction",
    'js.wuxi',
    {
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 200,
      'officer:other-branch': 404,
      auditor: 200,
    },
    'an officer reads the registers of their jurisdiction, above it (what their enterprises are judged by) and below it',
  ),
  row(
    'GET',
    '/v1/rounds/:id/screening',
    "the registered enterprises of the round's jurisdiction that look eligible and have not applied",
    'js.wuxi',
    {
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 404,
      'officer:other-branch': 404,
      auditor: 200,
    },
  ),

  // Official documents and statistics (docs/documents.md)
  row(
    'GET',
    '/v1/rounds/:id/documents/:name',
    "a round's list (XLSX, CSV) or notice (DOCX), now or as of an instant",
    'js.wuxi',
    {
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 404,
      'officer:other-branch': 404,
      auditor: 200,
    },
    'the scenario is in publicity and asks for publicity-list.xlsx; a document not issued (yet, or as of the instant) is 404 DOCUMENT_NOT_FOUND',
  ),
  row(
    'POST',
    '/v1/rounds/:id/admission-notice',
    "number a finalized round's admission notice",
    'js.wuxi',
    { 'officer:own': 409, 'officer:above': 409, 'officer:below': 404, 'officer:other-branch': 404 },
    'the scenario is not finalized: an officer who may number the notice gets 409 NOT_FINALIZED',
  ),
  row(
    'GET',
    '/v1/statistics/applications',
    "a year's applications counted by programme, district and status",
    '-',
    { officers: 200, auditor: 200 },
    'an officer counts the enterprises within their own jurisdiction',
  ),
  row(
    'GET',
    '/v1/statistics/applications.xlsx',
    'the same table as XLSX',
    '-',
    { officers: 200, auditor: 200 },
    'an officer counts the enterprises within their own jurisdiction',
  ),
  row(
    'POST',
    '/v1/applications/:id/objections',
    'object to an application in publicity',
    '-',
    { others: 201, anonymous: 201 },
    'public: an objection needs a real name and ID number, not an account',
  ),
  row(
    'POST',
    '/v1/applications/:id/objections/evidence',
    "upload an objection's evidence file",
    '-',
    { others: 201, anonymous: 201 },
    'public, like the objection it is for; as strictly rate limited',
  ),
  row(
    'GET',
    '/v1/objections/:id/evidence/:sha256',
    "an objection's evidence file",
    'js.wuxi',
    {
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 404,
      'officer:other-branch': 404,
      auditor: 200,
    },
    'whoever may read the objection',
  ),
  row(
    'GET',
    '/v1/objections/:id',
    "an objection; the objector in full for the round's officers and auditors",
    'js.wuxi',
    {
      'officer:own': 200,
      'officer:above': 200,
      'officer:below': 404,
      'officer:other-branch': 404,
      auditor: 200,
    },
    "the district's own officers (at or above the applicant's jurisdiction) see the objector masked",
  ),
  row('POST', '/v1/objections/:id/resolution', 'resolve an objection', 'js.wuxi', {
    'officer:own': 200,
    'officer:above': 200,
    'officer:below': 404,
    'officer:other-branch': 404,
  }),
  row(
    'POST',
    '/v1/applications/:id/finance-opinion',
    "record the finance bureau's opinion (tech-retrofit)",
    'js.wuxi',
    { 'officer:own': 409, 'officer:above': 409, 'officer:below': 404, 'officer:other-branch': 404 },
    'the scenario is a submitted eaglet application: an officer who may record it gets 409 NOT_AWAITING_FINANCE',
  ),
  row(
    'POST',
    '/v1/applications/:id/national-decision',
    "record the ministry's decision (little giant)",
    'js.wuxi',
    { 'officer:own': 409, 'officer:above': 409, 'officer:below': 404, 'officer:other-branch': 404 },
    'the scenario is an eaglet application: an officer who may record it gets 409 NOT_NATIONAL',
  ),

  // Memberships
  row('GET', '/v1/memberships', 'memberships within the caller’s jurisdiction', '-', {
    officers: 200,
    auditor: 200,
  }),
  row('POST', '/v1/memberships/:id/annual-reports', "file a year's data", 'js.wuxi.xinwu', {
    'enterprise:own': 201,
    'enterprise:other': 404,
  }),
  row('POST', '/v1/memberships/:id/exit', 'end a membership', 'js.wuxi.xinwu', {
    'officer:own': 200,
    'officer:above': 200,
    'officer:below': 404,
    'officer:other-branch': 404,
  }),

  row(
    'GET',
    '/v1/innovation-indicators',
    'pool memberships valid today as innovation-points indicators (创新积分)',
    '-',
    { officers: 200, auditor: 200 },
    'an officer sees the enterprises within their jurisdiction',
  ),
  row(
    'GET',
    '/v1/applications/:id/financing',
    "an approved tech-retrofit project's financing terms and interest subsidy schedule",
    'js.wuxi.xinwu',
    {
      'enterprise:own': 409,
      'enterprise:other': 404,
      'officer:own': 409,
      'officer:above': 409,
      'officer:below': 404,
      'officer:other-branch': 404,
      auditor: 409,
    },
    'the scenario is a submitted eaglet application: a caller who may read it gets 409 FINANCING_NOT_APPROVED',
  ),

  // Funds (专项资金)
  row(
    'POST',
    '/v1/funds',
    'establish a fund (budget, source, issuing jurisdiction, year)',
    'js.wuxi.xinwu',
    { 'officer:own': 201, 'officer:above': 201 },
    'the jurisdiction is the one named in the body: an officer below or beside it gets 403, as for rounds',
  ),
  row('GET', '/v1/funds/:id', 'a fund with its allocations, payments and what is left', 'js.wuxi.xinwu', {
    'officer:own': 200,
    'officer:above': 200,
    'officer:below': 404,
    'officer:other-branch': 404,
    auditor: 200,
  }),
  row(
    'POST',
    '/v1/funds/:id/allocations',
    'allocate from a fund (never beyond its budget)',
    'js.wuxi.xinwu',
    {
      'officer:own': 201,
      'officer:above': 201,
      'officer:below': 404,
      'officer:other-branch': 404,
    },
  ),
  row(
    'POST',
    '/v1/funds/:id/allocations/:allocationId/payments',
    'record a payment against an allocation, with its approving document',
    'js.wuxi.xinwu',
    { 'officer:own': 201, 'officer:above': 201, 'officer:below': 404, 'officer:other-branch': 404 },
  ),

  row('GET', '/v1/audit/events', 'the event log', '-', { auditor: 200, admin: 200 }),
  row('GET', '/v1/audit/verify', 'recompute every hash chain', '-', { auditor: 200, admin: 200 }),
  row('GET', '/v1/audit/verify/progress', 'the same, streamed as NDJSON progress lines', '-', {
    auditor: 200,
    admin: 200,
  }),
  row('GET', '/v1/audit/export', 'download the export bundle (.tar.gz)', '-', { auditor: 200, admin: 200 }),
  row('POST', '/v1/admin/clock', "set the engine's clock (CLOCK=manual only)", '-', { admin: 200 }),
  row('GET', '/v1/admin/parked', 'events the sagas or the outbox parked after their retries', '-', {
    admin: 200,
  }),
  row('POST', '/v1/admin/parked/:processor/:eventId/retry', 'run a parked event again', '-', { admin: 202 }),

  row(
    'GET',
    '/v1/inbox',
    "the caller's in-app notices, newest first",
    'js.wuxi.xinwu',
    { others: 200 },
    'always 200: an enterprise sees its org’s notices, an officer its jurisdiction’s and below, an expert its own',
  ),
  row(
    'POST',
    '/v1/inbox/:id/read',
    'mark a notice read',
    'js.wuxi.xinwu',
    { 'enterprise:own': 200, others: 404 },
    'the scenario marks a notice for the enterprise: anyone else is told it does not exist',
  ),
  row('POST', '/v1/webhooks', 'subscribe a URL to events (signed deliveries)', '-', {
    'enterprise:own': 201,
    'enterprise:other': 201,
    admin: 201,
  }),
  row(
    'GET',
    '/v1/webhooks',
    'webhook subscriptions (never the secrets)',
    '-',
    { enterprises: 200, admin: 200 },
    'an enterprise lists its own, an admin every one',
  ),
  row('DELETE', '/v1/webhooks/:id', 'delete a subscription and its secret', '-', {
    'enterprise:own': 200,
    'enterprise:other': 404,
    admin: 200,
  }),
  row('GET', '/v1/admin/notifications/failed', 'notification jobs that used up their attempts', '-', {
    admin: 200,
  }),
  row(
    'POST',
    '/v1/admin/notifications/failed/:jobId/retry',
    'put a failed notification job back on its queue',
    '-',
    { admin: 202 },
    'the scenario makes a webhook job that failed (a refused connection, one attempt)',
  ),

  // Sign-in and accounts (docs/security.md). The matrix calls with bearer tokens, which have
  // no account behind them; what a signed-in account does with its cookie is in
  // test/auth.e2e-spec.ts.
  row('GET', '/v1/me', 'who the caller is: {sub, role, jurisdiction?, org?, name}', '-', ALL),
  row('GET', '/v1/calendar/today', "the engine's instant and its day in China", '-', ALL),
  row(
    'POST',
    '/v1/auth/sign-in',
    'sign in with login and password (+ TOTP): sets the sid and csrf cookies',
    '-',
    PUBLIC,
  ),
  row(
    'POST',
    '/v1/auth/sign-out',
    'end this browser session and clear its cookies',
    '-',
    { others: 204 },
    'with a bearer token there is no session: nothing to end, still 204',
  ),
  row('POST', '/v1/auth/sign-out-everywhere', "end every session of the caller's account", '-', ALL),
  row(
    'GET',
    '/v1/auth/oidc',
    'whether single sign-on is configured here (the sign-in page shows its button)',
    '-',
    PUBLIC,
  ),
  row('POST', '/v1/auth/register', 'an enterprise registers its own account (credit code checked)', '-', {
    others: 201,
    anonymous: 201,
  }),
  row(
    'POST',
    '/v1/auth/password',
    'change your own password (the current one is asked for)',
    '-',
    { others: 409 },
    'needs a signed-in account: a bearer token without one gets 409 NO_ACCOUNT',
  ),
  row(
    'POST',
    '/v1/auth/password-reset',
    'ask for a one-time reset link by email',
    '-',
    { others: 202, anonymous: 202 },
    'always 202, whether or not the login exists',
  ),
  row('POST', '/v1/auth/password-reset/confirm', 'set a new password with a reset link (once)', '-', {
    others: 204,
    anonymous: 204,
  }),
  row(
    'POST',
    '/v1/auth/totp/enrol',
    'start TOTP enrolment: secret, otpauth URI and QR code',
    '-',
    { others: 409 },
    'needs a signed-in account: a bearer token without one gets 409 NO_ACCOUNT',
  ),
  row(
    'POST',
    '/v1/auth/totp/confirm',
    'confirm TOTP enrolment; returns recovery codes once',
    '-',
    { others: 409 },
    'needs a signed-in account: a bearer token without one gets 409 NO_ACCOUNT',
  ),
  row(
    'POST',
    '/v1/auth/totp/disable',
    'remove your second factor (not for roles that must keep one)',
    '-',
    { others: 409 },
    'needs a signed-in account: a bearer token without one gets 409 NO_ACCOUNT',
  ),
  row('POST', '/v1/accounts', 'create an account (officer, expert, auditor, admin, enterprise)', '-', {
    admin: 201,
  }),
  row('GET', '/v1/accounts', 'list accounts (no contact data, no secrets)', '-', { admin: 200 }),
  row('GET', '/v1/accounts/:id', 'one account', '-', { admin: 200 }),
  row('POST', '/v1/accounts/:id/disable', 'disable an account; its sessions end at once', '-', {
    admin: 200,
  }),
  row('POST', '/v1/accounts/:id/enable', 'enable an account again', '-', { admin: 200 }),
  row('POST', '/v1/accounts/:id/role', "change an account's role or scope; its sessions end", '-', {
    admin: 200,
  }),
  row('POST', '/v1/accounts/:id/password', "set an account's password; its sessions end", '-', {
    admin: 204,
  }),
  row('POST', '/v1/accounts/:id/totp/reset', "remove an account's second factor (lost phone)", '-', {
    admin: 204,
  }),
];

/**
 * Routes the app serves that are not part of the api and so have no row, each with why.
 * HEAD (Fastify answers it for every GET) and OPTIONS (CORS preflight) are never listed.
 */
export const UNLISTED_ROUTES: readonly { pattern: RegExp; why: string }[] = [
  {
    pattern: /^\/v1\/auth\/oidc\/(login|callback)$/,
    why: 'single sign-on redirects: public by nature, 404 OIDC_NOT_CONFIGURED without OIDC_ISSUER (as in the matrix test); the flow is tested against a real provider in test/auth-oidc.e2e-spec.ts',
  },
  { pattern: /^\/docs($|[-/])/, why: 'the OpenAPI document and Swagger UI: public, static, no data' },
  {
    // Derived from the console's own list, so a new client route needs no edit here.
    pattern: new RegExp(
      `^(${CONSOLE_ROUTES.map((route) => route.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$|^/assets/`,
    ),
    why: 'the web console (apps/web): public static files and its client routes answering index.html; no data (test/console-serving.e2e-spec.ts)',
  },
  {
    pattern: /^\/admin\/queues($|\/)/,
    why: 'the Bull Board queue dashboard: admins only (bearer, or an admin console session), checked by its own hook (test/notifications.e2e-spec.ts)',
  },
];

/** `METHOD /path` of a row. */
export const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
