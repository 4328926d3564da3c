// Tenants: the ones a user belongs to (the tenant switcher), and their administration by
// platform admins (create, suspend, reactivate).
//
// Suspending a tenant stops its zones being served (lib/zone/served.ts) without touching its
// records; the nameserver hears of it through the same zone_changed channel as an edit.
import { db, type Db } from "../db/client.ts";
import { ValidationError, NotFoundError } from "../errors.ts";
import { requirePlatformAdmin, type Principal } from "../permissions.ts";
import { notifyZoneChanged } from "../zone/change-set.ts";
import { parseOrThrow } from "../validation.ts";
import { createInvitation } from "./invitations.ts";
import { createTenantSchema } from "./schemas.ts";
import { audit, actorOf } from "../audit/audit.ts";

/** The tenants `principal` is a member of, with the role, for the switcher and the home page. */
export async function tenantsOf(principal: Principal, client: Db = db()) {
  const memberships = await client.membership.findMany({ where: { userId: principal.userId }, include: { tenant: true }, orderBy: { tenant: { name: "asc" } } });
  return memberships.map((m) => ({ slug: m.tenant.slug, name: m.tenant.name, status: m.tenant.status, role: m.role }));
}

export async function listTenants(principal: Principal, client: Db = db()) {
  requirePlatformAdmin(principal);
  const tenants = await client.tenant.findMany({
    orderBy: { createdAt: "asc" },
    include: { _count: { select: { memberships: true, domains: true } } },
  });
  return tenants.map((t) => ({ id: t.id, slug: t.slug, name: t.name, status: t.status, createdAt: t.createdAt, members: t._count.memberships, domains: t._count.domains }));
}

/** Creates a tenant and an owner invitation for `ownerEmail`; returns the invitation link. */
export async function createTenant(principal: Principal, input: unknown, client: Db = db()) {
  requirePlatformAdmin(principal);
  const { slug, name, ownerEmail } = parseOrThrow(createTenantSchema, input);
  return client.$transaction(async (tx) => {
    if (await tx.tenant.findUnique({ where: { slug } })) throw new ValidationError([{ path: ["slug"], message: `${slug} is taken` }]);
    const tenant = await tx.tenant.create({ data: { slug, name } });
    const invitation = await createInvitation(tx, { tenantId: tenant.id, tenantSlug: slug, email: ownerEmail, role: "owner", invitedBy: principal.userId });
    await audit(tx, { tenantId: tenant.id, ...actorOf(principal), action: "tenant.create", target: slug, details: { ownerEmail } });
    return { tenant, invitation };
  });
}

export async function setTenantStatus(principal: Principal, slug: string, status: "active" | "suspended", client: Db = db()) {
  requirePlatformAdmin(principal);
  if (status !== "active" && status !== "suspended") throw new ValidationError([{ path: ["status"], message: "status is active or suspended" }]);
  await client.$transaction(async (tx) => {
    const tenant = await tx.tenant.findUnique({ where: { slug }, include: { zones: { select: { id: true, serial: true } } } });
    if (!tenant) throw new NotFoundError("tenant");
    if (tenant.status === status) return;
    await tx.tenant.update({ where: { id: tenant.id }, data: { status } });
    await audit(tx, { tenantId: tenant.id, ...actorOf(principal), action: "tenant.status", target: slug, details: { from: tenant.status, to: status } });
    // Which zones are served changed: each nameserver reloads these (delivered at commit).
    for (const zone of tenant.zones) await notifyZoneChanged(tx, zone.id, 0);
  });
}
