// Reading the audit log: the platform's (platform admins) and a tenant's own (its owners and
// admins). One filter schema for the /admin/audit page, the tenant's settings, the CSV routes
// and `npm run cli -- audit ls`.
//
// Pagination is keyset ("seek") pagination on (createdAt, id), newest first, in SQL: a page
// asks for the rows just older (or just newer) than the last row seen, with a LIMIT, so page
// 1,000 costs what page 1 does and entries written meanwhile never shift a page. There is no
// total count: counting a large, ever-growing log on every page view costs more than it tells.
// The CSV export walks the same order in batches (`auditLogBatches`), never the whole log in
// memory.
import { z } from "zod";
import { db, type DbClient } from "../db/client.ts";
import type { AuditLog, Prisma } from "../generated/prisma/client.ts";
import { firstValue, parseOrThrow } from "../validation.ts";
import { requirePlatformAdmin, requireTenantPermission, type Principal } from "../permissions.ts";
import { actorOf, audit } from "./audit.ts";
import { likeLiteral } from "../db/like.ts";

export const AUDIT_PAGE_SIZE = 50;
/** Rows per database round trip when exporting. */
export const AUDIT_EXPORT_BATCH_SIZE = 500;

// Search params arrive as string | string[] | undefined; forms send "" for an empty field.
const blankToUndefined = (v: unknown) => {
  const value = firstValue(v);
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
};
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

// A date ("2026-01-31", a whole day in UTC) or a date and time, with or without seconds and a
// zone ("2026-01-31T12:00", taken as UTC; "2026-01-31T12:00:00+02:00").
const DATE_OR_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:\d{2})?)?$/;

function parseInstant(text: string): { at: Date; dateOnly: boolean } | null {
  const m = DATE_OR_TIME.exec(text);
  if (!m) return null;
  const [, date, time, zone] = m;
  const at = new Date(time ? `${date}T${time}${zone ?? "Z"}` : `${date}T00:00:00Z`);
  // "2026-02-31" parses as March 3rd: refuse a day the calendar does not have.
  if (Number.isNaN(at.getTime()) || (!zone && at.toISOString().slice(0, 10) !== date)) return null;
  return { at, dateOnly: !time };
}

const instant = z.string().max(40).refine((s) => parseInstant(s) !== null, { message: "not a date: use e.g. 2026-01-31 or 2026-01-31T12:00:00Z" });

// A page position: "o.<ms>.<id>" (entries older than that row) or "n.<ms>.<id>" (newer).
const CURSOR = /^([on])\.(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/;

/**
 * What to show of the audit log. Every field is optional; an empty one filters nothing.
 * - tenant: a tenant's slug (or the id of a tenant since deleted, as the log shows it)
 * - actor: part of who acted (an email, "cli", "registry", "system"), any case
 * - action: exact ("tenant.suspend"), or a prefix when it ends with "." or "*" ("tenant.")
 * - since: entries at or after it; until: entries before it (a date alone: to the end of that
 *   day, UTC)
 * - cursor: the page (from a previous page's `newer`/`older`)
 */
export const AuditFilter = z.object({
  tenant: optional(z.string().max(100).regex(/^[A-Za-z0-9_-]+$/, { message: "a tenant's slug" })),
  actor: optional(z.string().max(200)),
  action: optional(z.string().max(100).regex(/^[a-z0-9._-]+\*?$/i, { message: 'an action like "tenant.suspend", or a prefix like "tenant."' })),
  since: optional(instant),
  until: optional(instant),
  cursor: optional(z.string().max(100).regex(CURSOR, { message: "not a page of this list" })),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

/** The filter's fields, for forms and links (the cursor is not one: it is the page). */
export const AUDIT_FILTER_FIELDS = ["tenant", "actor", "action", "since", "until"] as const;

/** One entry as the log shows it. */
export interface AuditLogEntry {
  id: string;
  at: Date;
  /** Who acted as people read it (an email, "cli", "registry", "system"). */
  actor: string;
  actorId: string | null;
  tenantId: string | null;
  /** The tenant's slug; the id when the tenant has been deleted since; null: platform-wide. */
  tenant: string | null;
  action: string;
  target: string;
  /** Null when unknown, or hidden (see tenantAuditLog). */
  clientAddress: string | null;
  details: Prisma.JsonValue;
}

export interface AuditLogPage {
  /** The filter as understood (for the form and the page links). */
  filter: AuditFilter;
  entries: AuditLogEntry[];
  /** Cursors of the neighbouring pages; null: none (the first page has no newer one). */
  newer: string | null;
  older: string | null;
}

/** What the reader may see: everything, or one tenant's entries (with staff addresses hidden). */
interface Scope {
  tenantId?: string;
}

interface Position {
  at: Date;
  id: string;
}

const encodeCursor = (direction: "o" | "n", p: Position) => `${direction}.${p.at.getTime()}.${p.id}`;

function decodeCursor(cursor: string): { direction: "o" | "n"; at: Date; id: string } {
  const [, direction, ms, id] = CURSOR.exec(cursor)!;
  return { direction: direction as "o" | "n", at: new Date(Number(ms)), id };
}

/** `text` for LIKE: Prisma's contains/startsWith do not escape LIKE's wildcards themselves. */
async function whereOf(scope: Scope, filter: AuditFilter, client: DbClient): Promise<Prisma.AuditLogWhereInput> {
  const and: Prisma.AuditLogWhereInput[] = [];
  if (scope.tenantId) and.push({ tenantId: scope.tenantId });
  else if (filter.tenant) {
    // AuditLog.tenantId has no foreign key: entries outlive their tenant, which then has no
    // slug any more; the log shows the id, and filtering by it finds them.
    const tenant = await client.tenant.findUnique({ where: { slug: filter.tenant }, select: { id: true } });
    and.push({ tenantId: tenant?.id ?? filter.tenant });
  }
  if (filter.actor) and.push({ actorLabel: { contains: likeLiteral(filter.actor), mode: "insensitive" } });
  if (filter.action) {
    const prefix = filter.action.endsWith("*") ? filter.action.slice(0, -1) : filter.action.endsWith(".") ? filter.action : null;
    and.push(prefix !== null ? { action: { startsWith: likeLiteral(prefix) } } : { action: filter.action });
  }
  if (filter.since) and.push({ createdAt: { gte: parseInstant(filter.since)!.at } });
  if (filter.until) {
    const { at, dateOnly } = parseInstant(filter.until)!;
    and.push({ createdAt: { lt: dateOnly ? new Date(at.getTime() + 24 * 3600 * 1000) : at } });
  }
  return { AND: and };
}

const olderThan = (p: Position): Prisma.AuditLogWhereInput => ({ OR: [{ createdAt: { lt: p.at } }, { createdAt: p.at, id: { lt: p.id } }] });
const newerThan = (p: Position): Prisma.AuditLogWhereInput => ({ OR: [{ createdAt: { gt: p.at } }, { createdAt: p.at, id: { gt: p.id } }] });
const NEWEST_FIRST: Prisma.AuditLogOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "desc" }];
const OLDEST_FIRST: Prisma.AuditLogOrderByWithRelationInput[] = [{ createdAt: "asc" }, { id: "asc" }];

const positionOf = (row: AuditLog): Position => ({ at: row.createdAt, id: row.id });

/** Rows as entries: tenant slugs looked up, platform staff's addresses hidden in a tenant's view. */
async function toEntries(rows: AuditLog[], scope: Scope, client: DbClient): Promise<AuditLogEntry[]> {
  const tenantIds = [...new Set(rows.map((r) => r.tenantId).filter((id): id is string => id !== null))];
  const tenants = tenantIds.length ? await client.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, slug: true } }) : [];
  const slugs = new Map(tenants.map((t) => [t.id, t.slug]));
  let staff = new Set<string>();
  if (scope.tenantId) {
    // A tenant sees what the operator's staff did to it, but not from where: the addresses of
    // platform admins who are not its members stay with the operator.
    const actorIds = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => id !== null))];
    if (actorIds.length) {
      const admins = await client.user.findMany({
        where: { id: { in: actorIds }, isPlatformAdmin: true, memberships: { none: { tenantId: scope.tenantId } } },
        select: { id: true },
      });
      staff = new Set(admins.map((u) => u.id));
    }
  }
  return rows.map((r) => ({
    id: r.id,
    at: r.createdAt,
    actor: r.actorLabel,
    actorId: r.actorId,
    tenantId: r.tenantId,
    tenant: r.tenantId === null ? null : (slugs.get(r.tenantId) ?? r.tenantId),
    action: r.action,
    target: r.target,
    clientAddress: r.actorId !== null && staff.has(r.actorId) ? null : r.clientAddress,
    details: r.details,
  }));
}

/**
 * One page of the log in `scope`, unchecked: for the operator's CLI and the checked functions
 * below. `input` is parsed with AuditFilter (ValidationError when it does not fit).
 */
export async function auditLogPage(scope: Scope, input: unknown, options: { pageSize?: number } = {}, client: DbClient = db()): Promise<AuditLogPage> {
  const filter = parseOrThrow(AuditFilter, input ?? {});
  const size = Math.max(1, Math.min(options.pageSize ?? AUDIT_PAGE_SIZE, 1000));
  const where = await whereOf(scope, filter, client);
  const cursor = filter.cursor ? decodeCursor(filter.cursor) : null;

  if (cursor?.direction === "n") {
    // The page just newer than the cursor: read upwards from it, then show it newest first.
    const rows = await client.auditLog.findMany({ where: { AND: [where, newerThan(cursor)] }, orderBy: OLDEST_FIRST, take: size + 1 });
    if (rows.length <= size) {
      // Back at the top: that is the first page (full, with the entries written since).
      return auditLogPage(scope, { ...filter, cursor: undefined }, options, client);
    }
    const page = rows.slice(0, size).reverse();
    return { filter, entries: await toEntries(page, scope, client), newer: encodeCursor("n", positionOf(page[0])), older: encodeCursor("o", positionOf(page[page.length - 1])) };
  }

  const rows = await client.auditLog.findMany({ where: cursor ? { AND: [where, olderThan(cursor)] } : where, orderBy: NEWEST_FIRST, take: size + 1 });
  const page = rows.slice(0, size);
  return {
    filter,
    entries: await toEntries(page, scope, client),
    newer: cursor && page.length ? encodeCursor("n", positionOf(page[0])) : null,
    older: rows.length > size ? encodeCursor("o", positionOf(page[page.length - 1])) : null,
  };
}

/**
 * Every entry of the filter in `scope`, newest first, in batches of `batchSize` (one query each,
 * keyset like the pages; the filter's cursor is ignored: an export is the whole filtered view).
 * Unchecked: for the CLI and the checked exports below.
 */
export async function* auditLogBatches(scope: Scope, input: unknown, batchSize = AUDIT_EXPORT_BATCH_SIZE, client: DbClient = db()): AsyncGenerator<AuditLogEntry[]> {
  const filter = parseOrThrow(AuditFilter, input ?? {});
  const where = await whereOf(scope, { ...filter, cursor: undefined }, client);
  let after: Position | null = null;
  for (;;) {
    const rows: AuditLog[] = await client.auditLog.findMany({ where: after ? { AND: [where, olderThan(after)] } : where, orderBy: NEWEST_FIRST, take: batchSize });
    if (rows.length === 0) return;
    yield await toEntries(rows, scope, client);
    if (rows.length < batchSize) return;
    after = positionOf(rows[rows.length - 1]);
  }
}

/** The platform's whole audit log, filtered and paged. Platform admins only (others: not found). */
export async function platformAuditLog(principal: Principal, filter: unknown, options: { pageSize?: number } = {}): Promise<AuditLogPage> {
  requirePlatformAdmin(principal);
  return auditLogPage({}, filter, options);
}

/**
 * A tenant's own audit log (entries with its tenant id), filtered and paged: "audit:read",
 * i.e. its owners and admins, and platform admins (through the platform grant, audited). The
 * filter's tenant is ignored: the tenant is the one in the URL.
 */
export async function tenantAuditLog(principal: Principal, slug: string, filter: unknown, options: { pageSize?: number } = {}): Promise<AuditLogPage & { tenant: { slug: string; name: string } }> {
  const { tenant } = await requireTenantPermission(principal, slug, "audit:read");
  const page = await auditLogPage({ tenantId: tenant.id }, filter, options);
  return { ...page, tenant: { slug: tenant.slug, name: tenant.name } };
}

export interface AuditExport {
  /** What the file is of: "platform" or the tenant's slug (for its name). */
  subject: string;
  filter: AuditFilter;
  batches: AsyncGenerator<AuditLogEntry[]>;
}

/**
 * The platform's log for a CSV export, after the check (platform admins only). Exporting is
 * recorded ("audit.export", with the filter): a copy of the log leaving the panel is worth
 * knowing about. The filter is checked before anything is written.
 */
export async function platformAuditExport(principal: Principal, input: unknown): Promise<AuditExport> {
  requirePlatformAdmin(principal);
  const filter = parseOrThrow(AuditFilter, input ?? {});
  const client = db();
  await audit(client, { ...actorOf(principal), action: "audit.export", target: filter.tenant ?? "platform", details: exportDetails(filter) });
  return { subject: "platform", filter, batches: auditLogBatches({}, filter, AUDIT_EXPORT_BATCH_SIZE, client) };
}

/** A tenant's own log for a CSV export: "audit:read", as tenantAuditLog; recorded in the tenant's log. */
export async function tenantAuditExport(principal: Principal, slug: string, input: unknown): Promise<AuditExport> {
  const client = db();
  const { tenant } = await requireTenantPermission(principal, slug, "audit:read", client);
  const filter = parseOrThrow(AuditFilter, input ?? {});
  await audit(client, { tenantId: tenant.id, ...actorOf(principal), action: "audit.export", target: tenant.slug, details: exportDetails(filter) });
  return { subject: tenant.slug, filter, batches: auditLogBatches({ tenantId: tenant.id }, filter, AUDIT_EXPORT_BATCH_SIZE, client) };
}

function exportDetails(filter: AuditFilter): Prisma.InputJsonObject {
  return Object.fromEntries(AUDIT_FILTER_FIELDS.flatMap((k) => (filter[k] ? [[k, filter[k]]] : [])));
}
