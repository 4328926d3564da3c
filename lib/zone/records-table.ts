// The records table of the panel's domain page: filter (name, type, free text), sort, and
// pages of RECORDS_PAGE_SIZE, done in SQL so a zone of 10,000+ records costs one page of rows.
import { z } from "zod";
import { Prisma } from "../generated/prisma/client.ts";
import { db, type Db } from "../db/client.ts";
import { requireZonePermission, type Principal } from "../permissions.ts";
import { RECORD_TYPES } from "../records/types.ts";
import { likePattern } from "../db/like.ts";

export const RECORDS_PAGE_SIZE = 50;
export const RECORD_SORT_FIELDS = ["name", "type", "ttl", "content"] as const;
export type RecordSortField = (typeof RECORD_SORT_FIELDS)[number];

/** The table's state as it appears in the page URL; anything unexpected falls back to the default. */
export const recordsQuerySchema = z.object({
  name: z.string().trim().max(253).catch(""),
  type: z.enum(["", ...RECORD_TYPES]).catch(""),
  q: z.string().trim().max(200).catch(""),
  sort: z.enum(RECORD_SORT_FIELDS).catch("name"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  page: z.coerce.number().int().min(1).catch(1), // past the last page: the last page (below)
});
export type RecordsQuery = z.infer<typeof recordsQuerySchema>;

export interface RecordRow {
  id: string;
  name: string;
  type: string;
  ttl: number;
  content: string;
  version: number;
  updatedAt: Date;
}

export interface DomainRef {
  tenant: string;
  domain: string;
}

export async function recordsPage(principal: Principal, ref: DomainRef, rawQuery: unknown, client: Db = db()) {
  const { zone, tenant, grant } = await requireZonePermission(principal, ref.domain, "zone:read", client, ref.tenant);
  const query = recordsQuerySchema.parse(rawQuery ?? {});
  const filters: Prisma.Sql[] = [Prisma.sql`"zoneId" = ${zone.id}`];
  if (query.name) filters.push(Prisma.sql`name ILIKE ${likePattern(query.name)}`);
  if (query.type) filters.push(Prisma.sql`type = ${query.type}`);
  if (query.q) filters.push(Prisma.sql`(name ILIKE ${likePattern(query.q)} OR content ILIKE ${likePattern(query.q)})`);
  const where = Prisma.join(filters, " AND ");
  const dir = Prisma.raw(query.dir === "desc" ? "DESC" : "ASC");
  // The apex first when sorting by name, as zone files and every DNS panel list it.
  const order = {
    name: Prisma.sql`(name = ${zone.name}) DESC, name ${dir}, type, content`,
    type: Prisma.sql`type ${dir}, (name = ${zone.name}) DESC, name, content`,
    ttl: Prisma.sql`ttl ${dir}, name, type, content`,
    content: Prisma.sql`content ${dir}, name, type`,
  }[query.sort];

  const [{ count }] = await client.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM "Record" WHERE ${where}`;
  const total = Number(count);
  const pages = Math.max(1, Math.ceil(total / RECORDS_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const rows = await client.$queryRaw<RecordRow[]>`
    SELECT id, name, type, ttl, content, version, "updatedAt" FROM "Record"
    WHERE ${where} ORDER BY ${order} LIMIT ${RECORDS_PAGE_SIZE} OFFSET ${(page - 1) * RECORDS_PAGE_SIZE}`;
  const zoneTotal = query.name || query.type || query.q ? await client.record.count({ where: { zoneId: zone.id } }) : total;
  const delegation = zone.domainId
    ? await client.delegation.findUnique({ where: { domainId: zone.domainId }, include: { nameservers: { orderBy: { position: "asc" } } } })
    : null;
  return {
    zone,
    tenant,
    grant,
    delegation: delegation ? { mode: delegation.mode, nameservers: delegation.nameservers.map((n) => n.hostname) } : null,
    query: { ...query, page },
    rows,
    total,
    zoneTotal,
    pages,
  };
}
