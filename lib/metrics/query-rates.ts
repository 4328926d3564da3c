// Queries per second over a time window, from the nameservers' per-minute rollups (QueryStat),
// for the platform or one zone, split by response code or query type; and a zone's most asked
// names (QueryNameStat). Aggregated in SQL: a week of minutes from several nameservers is
// summed by the database, which sends back one row per bucket and key.
//
// Several nameserver instances write rows for the same minute (each counts what it answered):
// they are summed. Buckets with no rows are zeros, not missing points, so a chart does not draw
// a line straight across an hour in which nobody asked anything.
import { Prisma } from "../generated/prisma/client.ts";
import type { DbClient } from "../db/client.ts";
import type { TimeWindow } from "./ranges.ts";

/** How a rate is split: by response code (NOERROR, NXDOMAIN, ...) or by query type (A, AAAA, ...). */
export const RATE_BREAKDOWNS = ["rcode", "qtype"] as const;
export type RateBreakdown = (typeof RATE_BREAKDOWNS)[number];

/** Response codes in the order charts stack them: the ordinary answer first, failures last. */
export const RCODE_ORDER = ["NOERROR", "NXDOMAIN", "REFUSED", "SERVFAIL", "FORMERR", "NOTIMP"];

/** At most this many series in a chart; the rest are summed into OTHER_KEY. */
export const MAX_SERIES = 7;
export const OTHER_KEY = "other";

export interface RatePoint {
  /** Bucket start, epoch milliseconds. */
  at: number;
  /** Queries answered in the bucket (all nameservers). */
  queries: number;
  /** Queries per second over the bucket. */
  qps: number;
  /** Queries per second of each key (RateSeries.keys), zero where none. */
  byKey: Record<string, number>;
}

export interface RateSeries {
  breakdown: RateBreakdown;
  bucketSeconds: number;
  /** Window, epoch milliseconds: [from, to). */
  from: number;
  to: number;
  /** The series, in stacking order. */
  keys: string[];
  points: RatePoint[];
  totalQueries: number;
  /** Queries of each key over the whole window. */
  totalsByKey: Record<string, number>;
  peakQps: number;
}

/** A UTC instant (epoch seconds) as the timestamp-without-time-zone our tables store (UTC). */
export function utcTimestamp(epochSeconds: number): Prisma.Sql {
  return Prisma.sql`(to_timestamp(${epochSeconds}::float8) AT TIME ZONE 'UTC')`;
}

/**
 * Which keys get a series of their own: the busiest, at most MAX_SERIES with OTHER_KEY, which
 * takes the rest (and what the nameservers themselves count as "other"); rcodes in RCODE_ORDER.
 */
export function seriesKeys(totals: Map<string, number>, breakdown: RateBreakdown): { keys: string[]; fold: (key: string) => string } {
  const named = [...totals.entries()].filter(([k]) => k !== OTHER_KEY);
  const byVolume = named.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  const room = totals.has(OTHER_KEY) || byVolume.length > MAX_SERIES ? MAX_SERIES - 1 : MAX_SERIES;
  const kept = new Set(byVolume.slice(0, room));
  const order = (k: string) => (breakdown === "rcode" && RCODE_ORDER.includes(k) ? RCODE_ORDER.indexOf(k) : RCODE_ORDER.length);
  const keys = [...kept].sort((a, b) => order(a) - order(b) || (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || a.localeCompare(b));
  if (kept.size < totals.size) keys.push(OTHER_KEY);
  return { keys, fold: (key) => (kept.has(key) ? key : OTHER_KEY) };
}

/** The start of the minute `date` is in, epoch seconds: rows of that minute count from then on. */
function sinceMinute(date: Date): number {
  return Math.floor(date.getTime() / 60_000) * 60;
}

/**
 * Queries per second in each bucket of `window`, for one zone (its name as the nameservers
 * record it) or, without `zone`, for everything the platform answered (names outside every
 * zone included). `since`: leave out minutes before it (a domain's traffic from before it was
 * added here was someone else's).
 */
export async function queryRates(client: DbClient, window: TimeWindow, opts: { zone?: string; since?: Date; breakdown?: RateBreakdown } = {}): Promise<RateSeries> {
  const breakdown = opts.breakdown ?? "rcode";
  const step = window.bucketSeconds;
  const column = Prisma.raw(breakdown === "qtype" ? "qtype" : "rcode");
  const zoneFilter = opts.zone === undefined ? Prisma.empty : Prisma.sql`AND zone = ${opts.zone}`;
  const sinceFilter = opts.since ? Prisma.sql`AND minute >= ${utcTimestamp(sinceMinute(opts.since))}` : Prisma.empty;
  const rows = await client.$queryRaw<{ bucket: number; key: string; count: number }[]>`
    SELECT (floor(extract(epoch FROM minute) / ${step}::int) * ${step}::int)::float8 AS bucket,
           ${column} AS key, sum(count)::float8 AS count
    FROM "QueryStat"
    WHERE minute >= ${utcTimestamp(window.from)} AND minute < ${utcTimestamp(window.to)} ${zoneFilter} ${sinceFilter}
    GROUP BY 1, 2`;

  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.key, (totals.get(row.key) ?? 0) + row.count);
  const { keys, fold } = seriesKeys(totals, breakdown);
  const counts = new Map<number, Map<string, number>>();
  for (const row of rows) {
    const bucket = counts.get(row.bucket) ?? new Map<string, number>();
    const key = fold(row.key);
    bucket.set(key, (bucket.get(key) ?? 0) + row.count);
    counts.set(row.bucket, bucket);
  }

  const totalsByKey = Object.fromEntries(keys.map((k) => [k, 0]));
  const points = window.buckets.map(({ start, seconds }) => {
    const bucket = counts.get(start);
    const byKey: Record<string, number> = {};
    let queries = 0;
    for (const key of keys) {
      const count = bucket?.get(key) ?? 0;
      queries += count;
      totalsByKey[key] += count;
      byKey[key] = count / seconds;
    }
    return { at: start * 1000, queries, qps: queries / seconds, byKey };
  });
  return {
    breakdown,
    bucketSeconds: step,
    from: window.from * 1000,
    to: window.to * 1000,
    keys,
    points,
    totalQueries: points.reduce((sum, p) => sum + p.queries, 0),
    totalsByKey,
    peakQps: points.reduce((max, p) => Math.max(max, p.qps), 0),
  };
}

export interface TopName {
  name: string;
  queries: number;
}

/**
 * A zone's most asked names over the window, summed over minutes and nameservers. The
 * nameservers keep only each minute's top names, so a name's count is what it had in the
 * minutes it made that list: exact for the busy names, a lower bound for the rest.
 */
export async function topNames(client: DbClient, window: TimeWindow, zone: string, opts: { since?: Date; limit?: number } = {}): Promise<TopName[]> {
  const sinceFilter = opts.since ? Prisma.sql`AND minute >= ${utcTimestamp(sinceMinute(opts.since))}` : Prisma.empty;
  return client.$queryRaw<TopName[]>`
    SELECT name, sum(count)::float8 AS queries
    FROM "QueryNameStat"
    WHERE zone = ${zone} AND minute >= ${utcTimestamp(window.from)} AND minute < ${utcTimestamp(window.to)} ${sinceFilter}
    GROUP BY name
    ORDER BY queries DESC, name
    LIMIT ${opts.limit ?? 10}::int`;
}
