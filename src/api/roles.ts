/**
 * Roles of API callers (a token carries exactly one) and the route groups built from them.
 *
 * | role       | who                         | may                                                         |
 * |------------|-----------------------------|-------------------------------------------------------------|
 * | importer   | 住建局 clerk                 | import files, read everything (personal data masked)        |
 * | inspector  | 劳动监察 inspector            | read, resolve/dismiss flags (masked)                        |
 * | supervisor | 科室负责人 supervisor          | everything; full identity view on request; tokens; audit log |
 * | viewer     | read-only (e.g. county leads)| read (masked)                                               |
 * | contractor | 施工单位劳资专管员 (issue 20) | only the portal (/portal, /api/v1/portal): its own unit's projects |
 *
 * The contractor role is bound to a unified social credit code (the token's `uscc`) and is fail-closed: the
 * bureau's role groups below never include it, so every route refuses it unless the route names it (the
 * portal routes, which scope every answer to the unit's projects).
 */
export const ROLES = ['importer', 'inspector', 'supervisor', 'viewer', 'contractor'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The bureau's roles (everyone but the contractor). */
export const BUREAU_ROLES = ['importer', 'inspector', 'supervisor', 'viewer'] as const satisfies readonly Role[];
export type BureauRole = (typeof BUREAU_ROLES)[number];
/** Every bureau role: the read routes. Never the contractor (fail closed). */
export const READERS: readonly Role[] = BUREAU_ROLES;
/** The contractor portal (issue 20): a contractor's labour-affairs officer, scoped to its unit's projects. */
export const CONTRACTORS: readonly Role[] = ['contractor'];
/** Who may import files. */
export const IMPORTERS: readonly Role[] = ['importer', 'supervisor'];
/** Who works the review queue (resolve / dismiss flags). */
export const REVIEWERS: readonly Role[] = ['inspector', 'supervisor'];
/** Token administration and the audit log. */
export const SUPERVISORS: readonly Role[] = ['supervisor'];
/** Roles that may ask for unmasked identity and card numbers (each such response is audited). */
export const FULL_VIEW_ROLES: readonly Role[] = ['supervisor'];

/** The authenticated caller of a request. */
export interface Principal {
  readonly tokenId: number;
  readonly name: string;
  readonly role: Role;
  /** the unit's unified social credit code (contractor tokens only) */
  readonly uscc?: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on this route. A route with neither `roles` nor `public: true` fails startup. */
    roles?: readonly Role[];
    /** No authentication at all (only /health, the API documentation, the sign-in page and page assets). */
    public?: boolean;
    /**
     * An HTML page (src/pages): the caller is the session cookie's session, not a bearer header; without a
     * valid session the answer is a redirect to /login, and a role the route does not allow gets an HTML 403.
     */
    page?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** a supervisor asked for unmasked personal data (header `X-Full-View: 1`) */
    fullView: boolean;
    /** on page routes: the page-call id the page's in-process API calls carry (src/api/session.ts) */
    pageCall: string | null;
    /** on page routes: the session id from the cookie */
    sessionId: string | null;
  }
}
