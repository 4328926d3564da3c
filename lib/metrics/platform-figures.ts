// The platform in numbers, for the dashboard: how many tenants (and how many suspended), users,
// domains, zones, records; and the changes made to zones, today and per day. One SQL statement
// each, counted by the database.
import type { DbClient } from "../db/client.ts";
import { dayWindow, DAY_SECONDS } from "./ranges.ts";
import { utcTimestamp } from "./query-rates.ts";

export interface PlatformFigures {
  tenants: number;
  suspendedTenants: number;
  /** Of the suspended ones, those suspended for abuse (their zones are not served). */
  abuseSuspendedTenants: number;
  users: number;
  disabledUsers: number;
  platformAdmins: number;
  domains: number;
  zones: number;
  /** Of the zones, the platform's own (the registry's TLD zones). */
  platformZones: number;
  /** Resource records in all zones (the SOA, built from the zone, not counted). */
  records: number;
  /** Change sets committed since midnight UTC. */
  changesToday: number;
}

export async function platformFigures(client: DbClient, now: Date = new Date()): Promise<PlatformFigures> {
  const today = Math.floor(now.getTime() / 1000 / DAY_SECONDS) * DAY_SECONDS;
  const [row] = await client.$queryRaw<PlatformFigures[]>`
    SELECT
      (SELECT count(*) FROM "Tenant")::int AS tenants,
      (SELECT count(*) FROM "Tenant" WHERE status = 'suspended')::int AS "suspendedTenants",
      (SELECT count(*) FROM "Tenant" WHERE status = 'suspended' AND "suspensionKind" = 'abuse')::int AS "abuseSuspendedTenants",
      (SELECT count(*) FROM "User")::int AS users,
      (SELECT count(*) FROM "User" WHERE "disabledAt" IS NOT NULL)::int AS "disabledUsers",
      (SELECT count(*) FROM "User" WHERE "isPlatformAdmin")::int AS "platformAdmins",
      (SELECT count(*) FROM "Domain")::int AS domains,
      (SELECT count(*) FROM "Zone")::int AS zones,
      (SELECT count(*) FROM "Zone" WHERE "tenantId" IS NULL)::int AS "platformZones",
      (SELECT count(*) FROM "Record")::float8 AS records,
      (SELECT count(*) FROM "ZoneChange" WHERE "createdAt" >= ${utcTimestamp(today)})::int AS "changesToday"`;
  return row;
}

export interface DayCount {
  /** The UTC day, "2026-11-26". */
  day: string;
  /** Its start, epoch milliseconds. */
  at: number;
  changes: number;
}

/** Change sets committed on each of the last `days` UTC days (today included), zero on quiet days. */
export async function changesPerDay(client: DbClient, days = 30, now: Date = new Date()): Promise<DayCount[]> {
  const window = dayWindow(days, now);
  const rows = await client.$queryRaw<{ day: number; changes: number }[]>`
    SELECT (floor(extract(epoch FROM "createdAt") / ${DAY_SECONDS}::int) * ${DAY_SECONDS}::int)::float8 AS day, count(*)::int AS changes
    FROM "ZoneChange"
    WHERE "createdAt" >= ${utcTimestamp(window.from)} AND "createdAt" < ${utcTimestamp(window.to)}
    GROUP BY 1`;
  const byDay = new Map(rows.map((r) => [r.day, r.changes]));
  return window.days.map((day) => ({ day: new Date(day * 1000).toISOString().slice(0, 10), at: day * 1000, changes: byDay.get(day) ?? 0 }));
}
