// THE permission check. Every page, server action, route handler and CLI command that acts for
// a user calls one of the require* functions below; nothing else decides who may do what.
//
// Tenancy: a resource of a tenant the user does not belong to answers NotFoundError (404), never
// ForbiddenError, so its existence is not revealed. A member whose role lacks the action gets
// ForbiddenError. Platform admins pass through the same check with the "platform" grant, and
// their access to a tenant they are not a member of is audited. A suspended tenant's members
// keep read access; its changes are disabled.
import { db, type DbClient } from "./db/client.ts";
import { NotFoundError, ForbiddenError } from "./errors.ts";
import { normalizeAbsoluteName } from "./dns/names.ts";
import type { Domain, Role, Tenant, Zone } from "./generated/prisma/client.ts";
import { actorOf, audit } from "./audit/audit.ts";
import { suspensionMessage } from "./tenancy/suspension.ts";

export type Action =
  | "zone:read" // see domains, records, history
  | "zone:edit" // change records
  | "domain:manage" // add/remove domains, switch delegation
  | "member:read" // see the team
  | "member:manage" // invite, change roles, remove members
  | "owner:manage" // make someone an owner, or change an owner
  | "audit:read"; // read the tenant's audit log

export const ACTIONS: readonly Action[] = ["zone:read", "zone:edit", "domain:manage", "member:read", "member:manage", "owner:manage", "audit:read"];

export const ROLES: readonly Role[] = ["owner", "admin", "editor", "viewer"];

export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  viewer: ["zone:read", "member:read"],
  editor: ["zone:read", "zone:edit", "member:read"],
  admin: ["zone:read", "zone:edit", "domain:manage", "member:read", "member:manage", "audit:read"],
  owner: ["zone:read", "zone:edit", "domain:manage", "member:read", "member:manage", "owner:manage", "audit:read"],
};

/** What each role may do, in words, for the members page. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "everything, including managing owners",
  admin: "records, domains and members",
  editor: "changes records",
  viewer: "sees everything, changes nothing",
};

const WRITE_ACTIONS: readonly Action[] = ["zone:edit", "domain:manage", "member:manage", "owner:manage"];

export interface Principal {
  userId: string;
  email: string;
  name?: string;
  isPlatformAdmin: boolean;
  /** The signed-in session acting (panel requests), so a password change can keep it. */
  sessionId?: string;
  /** The client's IP address (panel and API requests), for the audit log. */
  clientAddress?: string | null;
}

export interface Grant {
  tenantId: string;
  role: Role | "platform";
  /** A platform admin, whatever their role here: everything is allowed (and audited). */
  platformAdmin?: boolean;
}

export function roleAllows(role: Role, action: Action): boolean {
  return ROLE_ACTIONS[role].includes(action);
}

/** For the UI: may this grant do `action`? (Hiding a button is a courtesy; the check is below.) */
export function grantAllows(grant: Grant, action: Action, tenant?: Pick<Tenant, "status">): boolean {
  if (grant.role === "platform" || grant.platformAdmin) return true;
  if (tenant?.status === "suspended" && WRITE_ACTIONS.includes(action)) return false;
  return roleAllows(grant.role, action);
}

// A platform admin browsing a tenant makes many requests; one audit entry per admin, tenant
// and action every 10 minutes says the same without flooding the log.
const PLATFORM_AUDIT_INTERVAL_MS = 10 * 60 * 1000;

async function auditPlatformAccess(principal: Principal, tenant: Tenant, action: Action, client: DbClient) {
  const recent = await client.auditLog.findFirst({
    where: {
      tenantId: tenant.id, actorId: principal.userId, action: "platform.access",
      createdAt: { gt: new Date(Date.now() - PLATFORM_AUDIT_INTERVAL_MS) },
      details: { path: ["action"], equals: action },
    },
    select: { id: true },
  });
  if (recent) return;
  await audit(client, { tenantId: tenant.id, ...actorOf(principal), action: "platform.access", target: tenant.slug, details: { action } });
}

async function grantFor(principal: Principal, tenant: Tenant, action: Action, client: DbClient): Promise<Grant> {
  const found = await client.membership.findUnique({
    where: { userId_tenantId: { userId: principal.userId, tenantId: tenant.id } },
    include: { user: { select: { disabledAt: true } } },
  });
  // A disabled user has no session (lib/auth/auth-sessions.ts); this also stops a principal
  // built before the user was disabled.
  const membership = found && !found.user.disabledAt ? found : null;
  const suspendedWrite = tenant.status === "suspended" && WRITE_ACTIONS.includes(action);
  if (membership && roleAllows(membership.role, action) && !suspendedWrite) {
    return { tenantId: tenant.id, role: membership.role, ...(principal.isPlatformAdmin ? { platformAdmin: true } : {}) };
  }
  // Platform admins may do anything anywhere, also where they are members with a lesser role.
  if (principal.isPlatformAdmin) {
    await auditPlatformAccess(principal, tenant, action, client);
    return { tenantId: tenant.id, role: "platform" };
  }
  if (membership) {
    if (suspendedWrite) throw new ForbiddenError(suspensionMessage(tenant));
    throw new ForbiddenError(`your role (${membership.role}) cannot do this`);
  }
  throw new NotFoundError("tenant");
}

/** Checks that `principal` may do `action` in the tenant; returns the grant. */
export async function requirePermission(principal: Principal, tenantId: string, action: Action, client: DbClient = db()): Promise<Grant> {
  const tenant = await client.tenant.findUnique({ where: { id: tenantId } });
  if (!tenant) throw new NotFoundError("tenant");
  return grantFor(principal, tenant, action, client);
}

/** The tenant with this slug, if `principal` may do `action` in it. */
export async function requireTenantPermission(principal: Principal, slug: string, action: Action, client: DbClient = db()): Promise<{ tenant: Tenant; grant: Grant }> {
  const tenant = await client.tenant.findUnique({ where: { slug } });
  if (!tenant) throw new NotFoundError("tenant");
  return { tenant, grant: await grantFor(principal, tenant, action, client) };
}

/**
 * A tenant-owned resource found by its DNS name (a zone or a domain), if `principal` may do
 * `action` on it. Another tenant's resource, one outside the tenant in the page's URL
 * (`tenantSlug`), a name that cannot exist and a missing one are all "domain not found".
 */
async function requireNamedResource<T extends { tenant: Tenant | null }>(
  principal: Principal,
  input: string,
  action: Action,
  client: DbClient,
  tenantSlug: string | undefined,
  find: (name: string) => Promise<T | null>,
): Promise<{ resource: Omit<T, "tenant">; tenant: Tenant; grant: Grant }> {
  let name: string;
  try {
    name = normalizeAbsoluteName(input);
  } catch {
    throw new NotFoundError("domain");
  }
  const found = await find(name);
  if (!found || !found.tenant || (tenantSlug !== undefined && found.tenant.slug !== tenantSlug)) throw new NotFoundError("domain");
  try {
    const grant = await grantFor(principal, found.tenant, action, client);
    const { tenant, ...resource } = found;
    return { resource, tenant: tenant!, grant };
  } catch (e) {
    // Not a member of its tenant: it does not exist for this user.
    if (e instanceof NotFoundError) throw new NotFoundError("domain");
    throw e;
  }
}

/**
 * The zone named `zoneName`, if `principal` may do `action` on it; otherwise NotFound/Forbidden.
 * With `tenantSlug` (the tenant in the page's URL), a zone of another tenant is not found either.
 */
export async function requireZonePermission(
  principal: Principal,
  zoneName: string,
  action: Action,
  client: DbClient = db(),
  tenantSlug?: string,
): Promise<{ zone: Zone; tenant: Tenant; grant: Grant }> {
  const found = await requireNamedResource(principal, zoneName, action, client, tenantSlug, (name) =>
    client.zone.findUnique({ where: { name }, include: { tenant: true } }),
  );
  return { zone: found.resource, tenant: found.tenant, grant: found.grant };
}

/**
 * The tenant's domain named `domainName` (registered here or elsewhere, with or without a zone),
 * if `principal` may do `action` on it; otherwise NotFound/Forbidden, as for zones.
 */
export async function requireDomainPermission(
  principal: Principal,
  domainName: string,
  action: Action,
  client: DbClient = db(),
  tenantSlug?: string,
): Promise<{ domain: Domain; tenant: Tenant; grant: Grant }> {
  const found = await requireNamedResource(principal, domainName, action, client, tenantSlug, (name) =>
    client.domain.findUnique({ where: { name }, include: { tenant: true } }),
  );
  return { domain: found.resource, tenant: found.tenant, grant: found.grant };
}

/** Platform administration (tenants). Others get "not found": the area does not exist for them. */
export function requirePlatformAdmin(principal: Principal): void {
  if (!principal.isPlatformAdmin) throw new NotFoundError("page");
}
