// Tenants: the ones a user belongs to (the tenant switcher), and their administration by
// platform admins: list and search, open one (every view audited), create, rename, suspend
// (billing or abuse: lib/tenancy/suspension.ts), lift, and delete an empty one.
//
// Suspending for abuse stops a tenant's zones being served (lib/zone/served.ts) without touching
// its records; the nameserver hears of it through the same zone_changed channel as an edit.
// Every change here locks the tenant row first (SELECT ... FOR UPDATE), so two admins (or an
// admin and the CLI) acting on one tenant take turns, and a domain being added while the tenant
// is deleted either lands first (and the deletion is refused) or finds no tenant.
import { db, type Db } from "../db/client.ts";
import { Prisma, type Tenant } from "../generated/prisma/client.ts";
import { ValidationError, NotFoundError } from "../errors.ts";
import { requirePlatformAdmin, type Principal } from "../permissions.ts";
import { notifyZoneChanged, WRITE_TRANSACTION, type Actor } from "../zone/change-set.ts";
import { panelActor } from "../zone/actors.ts";
import { historyLines } from "../zone/history.ts";
import { parseOrThrow } from "../validation.ts";
import { createInvitation } from "./invitations.ts";
import { platformQuotas, quotaOverrides, tenantUsage } from "./quotas.ts";
import { createTenantSchema, renameTenantSchema, suspendTenantSchema, tenantListQuerySchema, type TenantListQuery } from "./schemas.ts";
import { audit, actorFields, actorOf } from "../audit/audit.ts";
import { likePattern } from "../db/like.ts";

type Tx = Prisma.TransactionClient;

/** The tenants `principal` is a member of, with the role, for the switcher and the home page. */
export async function tenantsOf(principal: Principal, client: Db = db()) {
  const memberships = await client.membership.findMany({ where: { userId: principal.userId }, include: { tenant: true }, orderBy: { tenant: { name: "asc" } } });
  return memberships.map((m) => ({
    slug: m.tenant.slug,
    name: m.tenant.name,
    status: m.tenant.status,
    suspensionKind: m.tenant.suspensionKind,
    suspensionReason: m.tenant.suspensionReason,
    role: m.role,
  }));
}

// ---------------------------------------------------------------------------------------------
// The list (/admin/tenants): search, sort and pages in SQL, with each tenant's figures in the
// same query, so a platform of thousands of tenants costs one page of rows.

export interface TenantListRow {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  suspensionKind: "billing" | "abuse" | null;
  suspensionReason: string | null;
  suspendedAt: Date | null;
  createdAt: Date;
  /** Emails of its owners (members), A→Z. */
  owners: string[];
  /** Emails with a pending owner invitation (a new tenant's first owner until they accept). */
  invitedOwners: string[];
  domains: number;
  records: number;
  /** The newest change to its zones or entry in its audit log (admins' views excluded); null: none. */
  lastActivityAt: Date | null;
}

// Whitelisted ORDER BY clauses: the URL names a key, never SQL. The slug (unique) ends each
// one, so pages never overlap or skip a tenant between two equal values.
function tenantOrder(query: TenantListQuery): Prisma.Sql {
  const dir = Prisma.raw(query.dir === "desc" ? "DESC" : "ASC");
  switch (query.sort) {
    case "slug":
      return Prisma.sql`t.slug ${dir}`;
    case "created":
      return Prisma.sql`t."createdAt" ${dir}, t.slug`;
    case "domains":
      return Prisma.sql`domains ${dir}, t.slug`;
    case "records":
      return Prisma.sql`records ${dir}, t.slug`;
    case "activity":
      return Prisma.sql`"lastActivityAt" ${dir} NULLS LAST, t.slug`;
    case "status":
      // active, then suspended for billing, then for abuse (the enums' order), or the reverse.
      return Prisma.sql`t.status ${dir}, t."suspensionKind" ${dir} NULLS FIRST, lower(t.name), t.slug`;
    case "name":
    default:
      return Prisma.sql`lower(t.name) ${dir}, t.slug`;
  }
}

// Admins looking at a tenant is not the tenant's activity.
const NOT_ACTIVITY = Prisma.sql`('tenant.view', 'platform.access')`;

/** One page of tenants matching `rawQuery` (from the page's URL: q, sort, dir, page, perPage). */
export async function listTenants(principal: Principal, rawQuery: unknown = {}, client: Db = db()) {
  requirePlatformAdmin(principal);
  const query = tenantListQuerySchema.parse(rawQuery ?? {});
  const pattern = likePattern(query.q);
  const where = query.q
    ? Prisma.sql`(t.name ILIKE ${pattern} OR t.slug ILIKE ${pattern}
        OR EXISTS (SELECT 1 FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."tenantId" = t.id AND m.role = 'owner' AND u.email ILIKE ${pattern})
        OR EXISTS (SELECT 1 FROM "Invitation" i WHERE i."tenantId" = t.id AND i.role = 'owner' AND i."acceptedAt" IS NULL AND i.email ILIKE ${pattern}))`
    : Prisma.sql`TRUE`;
  const [{ count }] = await client.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM "Tenant" t WHERE ${where}`;
  const total = Number(count);
  const pages = Math.max(1, Math.ceil(total / query.perPage));
  const page = Math.min(query.page, pages);
  const order = tenantOrder(query);
  const window = Prisma.sql`LIMIT ${query.perPage} OFFSET ${(page - 1) * query.perPage}`;
  // Sorted by the tenant's own columns, the page is cut before the figures are computed (for
  // its rows only); sorted by a figure, every matching tenant's figures are needed first.
  const ownColumn = query.sort === "name" || query.sort === "slug" || query.sort === "created" || query.sort === "status";
  const tenants = ownColumn
    ? Prisma.sql`(SELECT * FROM "Tenant" t WHERE ${where} ORDER BY ${order} ${window})`
    : Prisma.sql`(SELECT * FROM "Tenant" t WHERE ${where})`;
  const rows = await client.$queryRaw<TenantListRow[]>`
    SELECT t.id, t.slug, t.name, t.status::text AS status, t."suspensionKind"::text AS "suspensionKind", t."suspensionReason",
      t."suspendedAt", t."createdAt",
      COALESCE(o.emails, ARRAY[]::text[]) AS owners,
      COALESCE(inv.emails, ARRAY[]::text[]) AS "invitedOwners",
      d.n::int AS domains,
      r.n::int AS records,
      GREATEST(zc.last, al.last) AS "lastActivityAt"
    FROM ${tenants} t
    LEFT JOIN LATERAL (
      SELECT array_agg(u.email ORDER BY u.email) AS emails FROM "Membership" m JOIN "User" u ON u.id = m."userId"
      WHERE m."tenantId" = t.id AND m.role = 'owner') o ON TRUE
    LEFT JOIN LATERAL (
      SELECT array_agg(DISTINCT i.email ORDER BY i.email) AS emails FROM "Invitation" i
      WHERE i."tenantId" = t.id AND i.role = 'owner' AND i."acceptedAt" IS NULL AND i."expiresAt" > now()) inv ON TRUE
    LEFT JOIN LATERAL (SELECT count(*) AS n FROM "Domain" dd WHERE dd."tenantId" = t.id) d ON TRUE
    LEFT JOIN LATERAL (SELECT count(*) AS n FROM "Record" rr JOIN "Zone" z ON z.id = rr."zoneId" WHERE z."tenantId" = t.id) r ON TRUE
    LEFT JOIN LATERAL (SELECT max(c."createdAt") AS last FROM "ZoneChange" c JOIN "Zone" z ON z.id = c."zoneId" WHERE z."tenantId" = t.id) zc ON TRUE
    LEFT JOIN LATERAL (
      SELECT max(a."createdAt") AS last FROM "AuditLog" a WHERE a."tenantId" = t.id AND a.action NOT IN ${NOT_ACTIVITY}) al ON TRUE
    ORDER BY ${order}
    ${ownColumn ? Prisma.empty : window}`;
  return { rows, total, pages, query: { ...query, page } };
}

// ---------------------------------------------------------------------------------------------
// One tenant, as a platform admin sees it. Every view is audited ("tenant.view"), not throttled
// like platform.access in lib/permissions.ts: opening a tenant's page is a deliberate look at
// its data, and each one is worth a line.

/** Changes across the tenant's zones shown on its admin page. */
export const TENANT_RECENT_CHANGES = 20;

export async function tenantDetail(principal: Principal, slug: string, client: Db = db()) {
  requirePlatformAdmin(principal);
  const tenant = await client.tenant.findUnique({ where: { slug } });
  if (!tenant) throw new NotFoundError("tenant");
  await audit(client, { tenantId: tenant.id, ...actorOf(principal), action: "tenant.view", target: tenant.slug });
  const [usage, memberships, invitations, domains, changes] = await Promise.all([
    tenantUsage(tenant.id, client),
    client.membership.findMany({
      where: { tenantId: tenant.id },
      include: { user: { select: { id: true, email: true, name: true, lastSignInAt: true, disabledAt: true } } },
      orderBy: [{ role: "asc" }, { user: { email: "asc" } }],
    }),
    client.invitation.findMany({
      where: { tenantId: tenant.id, acceptedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "asc" },
      select: { id: true, email: true, role: true, expiresAt: true },
    }),
    client.domain.findMany({
      where: { tenantId: tenant.id },
      orderBy: { name: "asc" },
      include: {
        registration: { select: { status: true, expiresAt: true } },
        delegation: { select: { mode: true } },
        zone: { select: { serial: true, _count: { select: { records: true } } } },
      },
    }),
    client.zoneChange.findMany({
      where: { zone: { tenantId: tenant.id } },
      orderBy: { createdAt: "desc" },
      take: TENANT_RECENT_CHANGES,
      include: { zone: { select: { name: true } } },
    }),
  ]);
  return {
    tenant,
    /** Usage against the limits in force, the tenant's own settings (null: default; 0: unlimited) and the platform's defaults. */
    usage,
    quotas: quotaOverrides(tenant),
    platformQuotas: platformQuotas(),
    members: memberships.map((m) => ({
      membershipId: m.id,
      userId: m.user.id,
      email: m.user.email,
      name: m.user.name,
      role: m.role,
      lastSignInAt: m.user.lastSignInAt,
      disabled: m.user.disabledAt !== null,
      since: m.createdAt,
    })),
    invitations,
    domains: domains.map((d) => ({
      name: d.name,
      // Registered in our registry (its state and expiry), or elsewhere and only hosted here.
      registration: d.registration ? { status: d.registration.status, expiresAt: d.registration.expiresAt } : null,
      delegationMode: d.delegation?.mode ?? null,
      records: d.zone ? d.zone._count.records : null,
      serial: d.zone ? Number(d.zone.serial) : null,
    })),
    recentChanges: changes.map((c) => ({
      id: c.id,
      zone: c.zone.name,
      at: c.createdAt,
      who: c.actorLabel,
      source: c.source,
      oldSerial: Number(c.oldSerial),
      newSerial: Number(c.newSerial),
      lines: historyLines(c.added as unknown as Parameters<typeof historyLines>[0], c.removed as unknown as Parameters<typeof historyLines>[1]),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Changes. Each takes the tenant row's lock first.

/**
 * The tenant with this slug, locked until the transaction ends; NotFoundError when there is none.
 * Writers of the tenant's data hold its row (lib/tenancy/tenant-writes.ts) until they commit, so
 * this waits for them (WRITE_TRANSACTION gives it the time a large import takes).
 */
async function lockTenant(tx: Tx, slug: string): Promise<Tenant> {
  const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Tenant" WHERE slug = ${slug} FOR UPDATE`;
  if (!locked) throw new NotFoundError(`tenant ${slug}`);
  return (await tx.tenant.findUnique({ where: { id: locked.id } }))!;
}

/** Which zones are served changed: each nameserver reloads the tenant's zones (delivered at commit). */
async function notifyTenantZones(tx: Tx, tenantId: string): Promise<number> {
  const zones = await tx.zone.findMany({ where: { tenantId }, select: { id: true } });
  for (const zone of zones) await notifyZoneChanged(tx, zone.id, 0);
  return zones.length;
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

/** Gives the tenant a new display name (its slug, in every URL, stays). */
export async function renameTenant(principal: Principal, slug: string, newName: unknown, client: Db = db()) {
  requirePlatformAdmin(principal);
  const { name } = parseOrThrow(renameTenantSchema, { name: newName });
  return client.$transaction(async (tx) => {
    const tenant = await lockTenant(tx, slug);
    if (tenant.name === name) return { slug, name, changed: false };
    await tx.tenant.update({ where: { id: tenant.id }, data: { name } });
    await audit(tx, { tenantId: tenant.id, ...actorOf(principal), action: "tenant.rename", target: slug, details: { from: tenant.name, to: name } });
    return { slug, name, changed: true };
  }, WRITE_TRANSACTION);
}

export interface SuspensionResult {
  slug: string;
  status: "active" | "suspended";
  kind: "billing" | "abuse" | null;
  reason: string | null;
  /** false: it was already in that state (nothing written, nothing audited). */
  changed: boolean;
  /** How many of its zones the nameservers were told to re-check. */
  zones: number;
}

/**
 * Suspends the tenant for billing or abuse with a reason its members see (lib/tenancy/suspension.ts
 * says what each kind stops), or changes the kind or reason of its current suspension. The
 * operator's CLI calls this with its own actor (it acts without a signed-in user); the panel
 * through suspendTenant.
 */
export async function suspendTenantAs(actor: Actor, slug: string, input: unknown, client: Db = db()): Promise<SuspensionResult> {
  const { kind, reason } = parseOrThrow(suspendTenantSchema, input);
  return client.$transaction(async (tx) => {
    const tenant = await lockTenant(tx, slug);
    const wasSuspended = tenant.status === "suspended";
    if (wasSuspended && tenant.suspensionKind === kind && tenant.suspensionReason === reason) {
      return { slug, status: "suspended", kind, reason, changed: false, zones: 0 };
    }
    // A suspension whose kind or reason changes keeps the time it began.
    await tx.tenant.update({
      where: { id: tenant.id },
      data: { status: "suspended", suspensionKind: kind, suspensionReason: reason, suspendedAt: wasSuspended ? (tenant.suspendedAt ?? new Date()) : new Date() },
    });
    await audit(tx, {
      tenantId: tenant.id,
      ...actorFields(actor),
      action: "tenant.suspend",
      target: slug,
      details: { kind, reason, ...(wasSuspended ? { previousKind: tenant.suspensionKind, previousReason: tenant.suspensionReason } : {}) },
    });
    // Only the kind decides what is served (abuse stops it); a new reason alone changes nothing there.
    const zones = wasSuspended && tenant.suspensionKind === kind ? 0 : await notifyTenantZones(tx, tenant.id);
    return { slug, status: "suspended", kind, reason, changed: true, zones };
  }, WRITE_TRANSACTION);
}

/** Lifts the tenant's suspension: changes allowed again, and its zones served again. */
export async function resumeTenantAs(actor: Actor, slug: string, client: Db = db()): Promise<SuspensionResult> {
  return client.$transaction(async (tx) => {
    const tenant = await lockTenant(tx, slug);
    if (tenant.status !== "suspended") return { slug, status: "active", kind: null, reason: null, changed: false, zones: 0 };
    await tx.tenant.update({ where: { id: tenant.id }, data: { status: "active", suspensionKind: null, suspensionReason: null, suspendedAt: null } });
    await audit(tx, {
      tenantId: tenant.id,
      ...actorFields(actor),
      action: "tenant.resume",
      target: slug,
      details: { kind: tenant.suspensionKind, reason: tenant.suspensionReason, suspendedAt: tenant.suspendedAt?.toISOString() ?? null },
    });
    const zones = await notifyTenantZones(tx, tenant.id);
    return { slug, status: "active", kind: null, reason: null, changed: true, zones };
  }, WRITE_TRANSACTION);
}

export async function suspendTenant(principal: Principal, slug: string, input: unknown, client: Db = db()) {
  requirePlatformAdmin(principal);
  return suspendTenantAs(panelActor(principal), slug, input, client);
}

export async function resumeTenant(principal: Principal, slug: string, client: Db = db()) {
  requirePlatformAdmin(principal);
  return resumeTenantAs(panelActor(principal), slug, client);
}

/**
 * Deletes a tenant that holds no domains (and no zones): its memberships, invitations and API
 * tokens go with it (foreign keys cascade); its audit entries stay (AuditLog.tenantId is a plain
 * column). Nothing else is deleted as a side effect: a tenant with domains is refused, and its
 * domains must be moved (lib/tenancy/domain-move.ts) or removed first.
 */
export async function deleteTenant(principal: Principal, slug: string, client: Db = db()) {
  requirePlatformAdmin(principal);
  return client.$transaction(async (tx) => {
    // A domain added meanwhile either committed before this lock (and is counted below) or
    // waits on it (its foreign key check locks the tenant row) and then finds no tenant.
    const tenant = await lockTenant(tx, slug);
    const domains = await tx.domain.findMany({ where: { tenantId: tenant.id }, select: { name: true }, orderBy: { name: "asc" }, take: 3 });
    const domainCount = await tx.domain.count({ where: { tenantId: tenant.id } });
    const zoneCount = await tx.zone.count({ where: { tenantId: tenant.id } });
    if (domainCount > 0 || zoneCount > 0) {
      const held = domainCount > 0 ? `${domainCount} domain${domainCount === 1 ? "" : "s"} (${domains.map((d) => d.name).join(", ")}${domainCount > domains.length ? ", …" : ""})` : `${zoneCount} zone${zoneCount === 1 ? "" : "s"}`;
      throw new ValidationError([{ path: [], message: `${tenant.name} still holds ${held}: move or remove them before deleting the tenant` }]);
    }
    const members = await tx.membership.count({ where: { tenantId: tenant.id } });
    await tx.tenant.delete({ where: { id: tenant.id } });
    await audit(tx, { tenantId: tenant.id, ...actorOf(principal), action: "tenant.delete", target: slug, details: { name: tenant.name, members } });
    return { slug };
  }, WRITE_TRANSACTION);
}
