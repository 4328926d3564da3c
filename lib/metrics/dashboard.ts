// What the panel's charts show, behind the permission check: the platform's dashboard (/admin,
// platform admins only) and a domain's traffic (its Traffic tab, anyone who may read its zone).
// The range comes from the page's URL and is parsed here (?range=1h|24h|7d; anything else is
// the default), so every caller gets the same buckets.
import { z } from "zod";
import { db, type DbClient } from "../db/client.ts";
import { requireDomainPermission, requirePlatformAdmin, type Principal } from "../permissions.ts";
import type { DomainRef } from "../registrar/domains.ts";
import { nameserverInstances } from "./nameserver-instances.ts";
import { changesPerDay, platformFigures } from "./platform-figures.ts";
import { queryRates, RATE_BREAKDOWNS, topNames } from "./query-rates.ts";
import { metricRangeSchema, RANGE_SETTINGS, timeWindow } from "./ranges.ts";

/** Days in the dashboard's changes-per-day chart. */
export const CHANGE_DAYS = 30;
/** Names in a domain's top names table. */
export const TOP_NAMES = 10;

/** How a domain's rate is split, from the page's URL (?by=qtype); anything else: by rcode. */
export const rateBreakdownSchema = z.enum(RATE_BREAKDOWNS).catch("rcode");

export async function platformDashboard(principal: Principal, range: unknown, client: DbClient = db(), now: Date = new Date()) {
  requirePlatformAdmin(principal);
  const parsed = metricRangeSchema.parse(range);
  const window = timeWindow(parsed, now);
  const [figures, instances, queries, changes] = await Promise.all([
    platformFigures(client, now),
    nameserverInstances(client, now),
    queryRates(client, window, { breakdown: "rcode" }),
    changesPerDay(client, CHANGE_DAYS, now),
  ]);
  return { range: parsed, rangeLabel: RANGE_SETTINGS[parsed].label, figures, instances, queries, changes };
}

export async function domainTraffic(principal: Principal, ref: DomainRef, range: unknown, by: unknown = "rcode", client: DbClient = db(), now: Date = new Date()) {
  const { domain, tenant } = await requireDomainPermission(principal, ref.domain, "zone:read", client, ref.tenant);
  const parsed = metricRangeSchema.parse(range);
  const breakdown = rateBreakdownSchema.parse(by);
  const window = timeWindow(parsed, now);
  // The nameservers count a zone's queries under its name. Minutes from before the domain was
  // added here are left out: that traffic was another holder's (a moved domain keeps its own).
  const [queries, names] = await Promise.all([
    queryRates(client, window, { zone: domain.name, since: domain.createdAt, breakdown }),
    topNames(client, window, domain.name, { since: domain.createdAt, limit: TOP_NAMES }),
  ]);
  return {
    domain: { id: domain.id, name: domain.name },
    tenant: { slug: tenant.slug },
    range: parsed,
    rangeLabel: RANGE_SETTINGS[parsed].label,
    breakdown,
    queries,
    topNames: names.map((n) => ({ ...n, share: queries.totalQueries > 0 ? Math.min(1, n.queries / queries.totalQueries) : 0 })),
  };
}
