// The dashboard's figures (lib/metrics): query rates summed over nameservers per bucket with the
// quiet buckets as zeros, split by rcode or qtype; a domain's top names; changes per day; the
// platform's counts; each nameserver's heartbeat and served-serial lag; and who may see what.
//
// The nameservers' per-minute rollups are inserted as rows, as the nameservers write them.
// Platform-wide figures are checked in a database of its own (the suite's shared one has other
// tests' zones and nameservers); a domain's traffic, keyed by its unique name, in the shared one.
import { describe, expect, it } from "vitest";
import { db, type Db } from "../../lib/db/client.ts";
import { createHostedDomain } from "../../lib/domains.ts";
import { NotFoundError } from "../../lib/errors.ts";
import { domainTraffic, platformDashboard } from "../../lib/metrics/dashboard.ts";
import { MAX_SERIES, OTHER_KEY } from "../../lib/metrics/query-rates.ts";
import type { Principal } from "../../lib/permissions.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import { servedZoneWhere } from "../../lib/zone/served.ts";
import { TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { useOwnDatabase } from "../helpers/own-database.ts";
import { domainRef, EVERYONE, ROLES, tenantWithEveryone } from "../helpers/people.ts";

const own = useOwnDatabase("dashboard_");

const MINUTE = 60_000;

/** The start of the minute `minutesAgo` minutes before `now`'s minute (whose start is the window's end). */
function minuteBefore(now: Date, minutesAgo: number): Date {
  return new Date(Math.floor(now.getTime() / MINUTE) * MINUTE - minutesAgo * MINUTE);
}

interface StatRow {
  minute: Date;
  nameserverId: string;
  zone: string;
  qtype?: string;
  rcode?: string;
  transport?: string;
  count: number;
}

/** What a nameserver's flush writes: one row per minute, zone, qtype, rcode and transport. */
async function queryStats(client: Db, rows: StatRow[]) {
  await client.queryStat.createMany({ data: rows.map((r) => ({ qtype: "A", rcode: "NOERROR", transport: "udp", ...r })) });
}

async function platformAdmin(client: Db): Promise<Principal> {
  const user = await client.user.create({ data: { email: `${uniqueLabel("admin")}@example.test`, isPlatformAdmin: true } });
  return { userId: user.id, email: user.email, isPlatformAdmin: true };
}

async function hostedZone(client: Db, tenantId?: string) {
  const tenant = tenantId ?? (await client.tenant.create({ data: { slug: uniqueLabel("tenant-"), name: "t" } })).id;
  const name = `${uniqueLabel("z")}.example`;
  const { zoneId, domainId } = await createHostedDomain({ tenantId: tenant, name }, TEST_ACTOR, client);
  return { zoneId, domainId, name, tenantId: tenant };
}

describe("platform query rates", () => {
  it("sums the nameservers' rows per bucket, fills quiet buckets with zeros, and splits by rcode", async () => {
    // A clock of its own: nothing else in this database has rows at these minutes.
    const now = new Date("2031-03-04T12:34:56Z");
    const admin = await platformAdmin(own.client);
    const zone = `${uniqueLabel("q")}.example`;
    const other = `${uniqueLabel("q")}.example`;
    await queryStats(own.client, [
      // 12:29: two nameservers answered the same zone; one also NXDOMAIN over TCP, the other a name outside every zone.
      { minute: minuteBefore(now, 5), nameserverId: "ns-a", zone, count: 120 },
      { minute: minuteBefore(now, 5), nameserverId: "ns-b", zone, count: 60 },
      { minute: minuteBefore(now, 5), nameserverId: "ns-a", zone, qtype: "AAAA", rcode: "NXDOMAIN", transport: "tcp", count: 30 },
      { minute: minuteBefore(now, 5), nameserverId: "ns-b", zone: "", rcode: "REFUSED", count: 6 },
      // 12:32: another zone.
      { minute: minuteBefore(now, 2), nameserverId: "ns-a", zone: other, count: 60 },
      // The first minute of the hour's window, and the one just before it.
      { minute: minuteBefore(now, 60), nameserverId: "ns-a", zone, count: 6 },
      { minute: minuteBefore(now, 61), nameserverId: "ns-a", zone, count: 600 },
      // 12:34, still in progress at `now`: not drawn yet.
      { minute: minuteBefore(now, 0), nameserverId: "ns-a", zone, count: 6000 },
    ]);

    const hour = await platformDashboard(admin, "1h", own.client, now);
    expect(hour.range).toBe("1h");
    const q = hour.queries;
    expect(q.bucketSeconds).toBe(60);
    expect(q.points).toHaveLength(60);
    expect(q.from).toBe(minuteBefore(now, 60).getTime());
    expect(q.to).toBe(minuteBefore(now, 0).getTime());
    expect(q.keys).toEqual(["NOERROR", "NXDOMAIN", "REFUSED"]);
    const at = (minutesAgo: number) => q.points.find((p) => p.at === minuteBefore(now, minutesAgo).getTime())!;
    expect(at(5)).toEqual({ at: minuteBefore(now, 5).getTime(), queries: 216, qps: 3.6, byKey: { NOERROR: 3, NXDOMAIN: 0.5, REFUSED: 0.1 } });
    expect(at(2)).toMatchObject({ queries: 60, qps: 1, byKey: { NOERROR: 1, NXDOMAIN: 0, REFUSED: 0 } });
    expect(at(60)).toMatchObject({ queries: 6, qps: 0.1 });
    // Every other minute is there, as zero.
    expect(q.points.filter((p) => p.queries === 0)).toHaveLength(57);
    expect(q.points.every((p, i) => i === 0 || p.at - q.points[i - 1].at === MINUTE)).toBe(true);
    expect(q.totalQueries).toBe(282);
    expect(q.totalsByKey).toEqual({ NOERROR: 246, NXDOMAIN: 30, REFUSED: 6 });
    expect(q.peakQps).toBe(3.6);

    // 24 hours in 10-minute buckets: 12:20-12:30 holds 12:29; 12:30-12:34 is cut short by the window's end.
    const day = (await platformDashboard(admin, "24h", own.client, now)).queries;
    expect(day.bucketSeconds).toBe(600);
    expect(day.points).toHaveLength(144);
    const last = day.points.at(-1)!;
    expect(last).toMatchObject({ at: Date.parse("2031-03-04T12:30:00Z"), queries: 60, qps: 60 / 240 });
    expect(day.points.at(-2)).toMatchObject({ at: Date.parse("2031-03-04T12:20:00Z"), queries: 216, qps: 216 / 600 });
    // 11:34 and 11:33 (the minute before the hour's window) are both in the 24 hours.
    expect(day.points.at(-7)).toMatchObject({ at: Date.parse("2031-03-04T11:30:00Z"), queries: 606 });
    expect(day.totalQueries).toBe(882);

    // 7 days in hours; anything but a known range is the default (24 hours).
    const week = (await platformDashboard(admin, "7d", own.client, now)).queries;
    expect(week.bucketSeconds).toBe(3600);
    expect(week.points).toHaveLength(168);
    expect(week.points.at(-1)).toMatchObject({ at: Date.parse("2031-03-04T12:00:00Z"), queries: 276, qps: 276 / (34 * 60) });
    expect((await platformDashboard(admin, "1y", own.client, now)).range).toBe("24h");
    expect((await platformDashboard(admin, { range: "1h" }, own.client, now)).range).toBe("24h");

    // A quiet period: every bucket is there, every one zero, no series.
    const quiet = (await platformDashboard(admin, "1h", own.client, new Date("2031-01-01T00:00:00Z"))).queries;
    expect(quiet.points).toHaveLength(60);
    expect(quiet.totalQueries).toBe(0);
    expect(quiet.keys).toEqual([]);
  });
});

describe("changes and platform figures", () => {
  it("counts tenants (suspended), users, domains, zones, records and today's changes, and changes per day", async () => {
    const admin = await platformAdmin(own.client);
    const before = (await platformDashboard(admin, "1h", own.client)).figures;

    const active = await hostedZone(own.client);
    await applyChangeSet(active.zoneId, { add: [{ name: "www", type: "A", ttl: 300, content: "192.0.2.1" }, { name: "mail", type: "A", ttl: 300, content: "192.0.2.2" }] }, TEST_ACTOR, own.client);
    await own.client.tenant.create({ data: { slug: uniqueLabel("tenant-"), name: "b", status: "suspended", suspensionKind: "billing", suspensionReason: "unpaid" } });
    await own.client.tenant.create({ data: { slug: uniqueLabel("tenant-"), name: "a", status: "suspended", suspensionKind: "abuse", suspensionReason: "phishing" } });
    await own.client.user.create({ data: { email: `${uniqueLabel("u")}@example.test`, disabledAt: new Date() } });
    await own.client.user.create({ data: { email: `${uniqueLabel("u")}@example.test` } });
    // Journal entries of earlier days, as the write path leaves them (serials 0: no nameserver follows them).
    const now = new Date();
    const daysAgo = (days: number) => new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000 - days * 86_400_000 + 3_600_000);
    const journal = (createdAt: Date) => ({ zoneId: active.zoneId, oldSerial: 0n, newSerial: 0n, actorLabel: "test", source: "system", added: [], removed: [], createdAt });
    await own.client.zoneChange.createMany({ data: [journal(daysAgo(3)), journal(daysAgo(3)), journal(daysAgo(29)), journal(daysAgo(30))] });

    const dashboard = await platformDashboard(admin, "1h", own.client, now);
    const after = dashboard.figures;
    const records = await own.client.record.count();
    expect({
      tenants: after.tenants - before.tenants,
      suspendedTenants: after.suspendedTenants - before.suspendedTenants,
      abuseSuspendedTenants: after.abuseSuspendedTenants - before.abuseSuspendedTenants,
      users: after.users - before.users,
      disabledUsers: after.disabledUsers - before.disabledUsers,
      platformAdmins: after.platformAdmins - before.platformAdmins,
      domains: after.domains - before.domains,
      zones: after.zones - before.zones,
      changesToday: after.changesToday - before.changesToday,
    }).toEqual({ tenants: 3, suspendedTenants: 2, abuseSuspendedTenants: 1, users: 2, disabledUsers: 1, platformAdmins: 0, domains: 1, zones: 1, changesToday: 2 });
    expect(after.records).toBe(records);
    expect(after.records - before.records).toBeGreaterThanOrEqual(2);

    // 30 days, today last; quiet days are zeros; the 31st day back is not in it.
    const changes = dashboard.changes;
    expect(changes).toHaveLength(30);
    expect(changes.at(-1)).toEqual({ day: now.toISOString().slice(0, 10), at: Math.floor(now.getTime() / 86_400_000) * 86_400_000, changes: after.changesToday });
    expect(changes.at(-4)!.changes).toBe(2);
    expect(changes[0]).toMatchObject({ day: daysAgo(29).toISOString().slice(0, 10), changes: 1 });
    // Nothing else in this database was changed before today.
    expect(changes.reduce((sum, d) => sum + d.changes, 0)).toBe(after.changesToday + 3);
  });
});

describe("nameserver instances", () => {
  it("lists each instance's heartbeat and how many served zones it is behind on, and since when", async () => {
    const first = await hostedZone(own.client);
    const second = await hostedZone(own.client, first.tenantId);
    const serialOf = async (zoneId: string) => (await own.client.zone.findUniqueOrThrow({ where: { id: zoneId } })).serial;
    const servedBefore = await serialOf(first.zoneId);
    // Two changes the lagging nameserver has not served: its lag runs from the first of them.
    const change1 = await applyChangeSet(first.zoneId, { add: [{ name: "a", type: "A", ttl: 300, content: "192.0.2.1" }] }, TEST_ACTOR, own.client);
    await applyChangeSet(first.zoneId, { add: [{ name: "b", type: "A", ttl: 300, content: "192.0.2.2" }] }, TEST_ACTOR, own.client);
    await own.client.$executeRaw`UPDATE "ZoneChange" SET "createdAt" = "createdAt" - interval '90 seconds' WHERE "zoneId" = ${first.zoneId} AND "newSerial" = ${BigInt(change1.serial)}`;
    // A zone of a tenant suspended for abuse is not served: a stale serial of it is no lag.
    const unserved = await hostedZone(own.client);
    const unservedSerial = await serialOf(unserved.zoneId);
    await applyChangeSet(unserved.zoneId, { add: [{ name: "c", type: "A", ttl: 300, content: "192.0.2.3" }] }, TEST_ACTOR, own.client);
    await own.client.tenant.update({ where: { id: unserved.tenantId }, data: { status: "suspended", suspensionKind: "abuse", suspensionReason: "x" } });
    const now = new Date();

    const served = await own.client.zone.findMany({ where: servedZoneWhere(now), select: { id: true, serial: true } });
    const reports = async (id: string, lastSeenAt: Date, serials: Record<string, bigint>) => {
      await own.client.nameserverInstance.create({ data: { id, startedAt: new Date(lastSeenAt.getTime() - 3_600_000), lastSeenAt } });
      await own.client.servedZone.createMany({ data: Object.entries(serials).map(([zoneId, serial]) => ({ nameserverId: id, zoneId, serial })) });
    };
    const current = Object.fromEntries(served.map((z) => [z.id, z.serial]));
    const ids = { current: uniqueLabel("ns-current-"), lagging: uniqueLabel("ns-lagging-"), empty: uniqueLabel("ns-empty-"), gone: uniqueLabel("ns-gone-"), ancient: uniqueLabel("ns-ancient-") };
    await reports(ids.current, new Date(now.getTime() - 2_000), current);
    await reports(ids.lagging, new Date(now.getTime() - 4_000), { ...current, [first.zoneId]: servedBefore, [unserved.zoneId]: unservedSerial });
    // Alive but serving nothing yet (just started): every served zone is missing.
    await reports(ids.empty, now, {});
    await reports(ids.gone, new Date(now.getTime() - 300_000), {});
    await reports(ids.ancient, new Date(now.getTime() - 8 * 86_400_000), {});

    const admin = await platformAdmin(own.client);
    const { instances } = await platformDashboard(admin, "1h", own.client, now);
    const mine = instances.filter((i) => Object.values(ids).includes(i.id));
    expect(mine.map((i) => i.id)).toEqual([ids.empty, ids.current, ids.lagging, ids.gone]);
    const byId = Object.fromEntries(mine.map((i) => [i.id, i]));
    expect(byId[ids.current]).toMatchObject({ alive: true, heartbeatAgeSeconds: 2, zonesBehind: 0, lagSeconds: 0 });
    expect(byId[ids.lagging]).toMatchObject({ alive: true, heartbeatAgeSeconds: 4, zonesBehind: 1 });
    expect(byId[ids.lagging].lagSeconds).toBeGreaterThanOrEqual(89);
    expect(byId[ids.lagging].lagSeconds).toBeLessThan(200);
    expect(byId[ids.empty]).toMatchObject({ alive: true, zonesBehind: served.length });
    expect(served.map((z) => z.id)).toEqual(expect.arrayContaining([first.zoneId, second.zoneId]));
    expect(byId[ids.gone]).toMatchObject({ alive: false, heartbeatAgeSeconds: 300, zonesBehind: null, lagSeconds: null });
    expect(byId[ids.gone].startedAt).toEqual(new Date(now.getTime() - 300_000 - 3_600_000));
  });
});

describe("a domain's traffic", () => {
  it("is its own zone's rate, by rcode or qtype, and its top names summed over nameservers", async () => {
    const f = await tenantWithEveryone();
    const now = new Date();
    await db().domain.update({ where: { name: f.zone }, data: { createdAt: new Date(now.getTime() - 2 * 3_600_000) } });
    const m = (ago: number) => minuteBefore(now, ago);
    await queryStats(db(), [
      { minute: m(10), nameserverId: "ns-a", zone: f.zone, count: 60 },
      { minute: m(10), nameserverId: "ns-b", zone: f.zone, qtype: "MX", count: 30 },
      { minute: m(10), nameserverId: "ns-b", zone: f.zone, qtype: "TXT", rcode: "NXDOMAIN", count: 30 },
      { minute: m(3), nameserverId: "ns-a", zone: f.zone, qtype: "AAAA", count: 120 },
      // Another zone's queries, and names outside every zone: not this domain's.
      { minute: m(10), nameserverId: "ns-a", zone: `x${f.zone}`, count: 999 },
      { minute: m(10), nameserverId: "ns-a", zone: "", count: 999 },
    ]);
    await db().queryNameStat.createMany({
      data: [
        { minute: m(10), nameserverId: "ns-a", zone: f.zone, name: `www.${f.zone}`, count: 50 },
        { minute: m(10), nameserverId: "ns-b", zone: f.zone, name: `www.${f.zone}`, count: 20 },
        { minute: m(3), nameserverId: "ns-a", zone: f.zone, name: `www.${f.zone}`, count: 30 },
        { minute: m(10), nameserverId: "ns-b", zone: f.zone, name: f.zone, count: 40 },
        { minute: m(3), nameserverId: "ns-a", zone: f.zone, name: `mail.${f.zone}`, count: 40 },
        // Twelve names with one query each: the table keeps the ten busiest.
        ...Array.from({ length: 12 }, (_, i) => ({ minute: m(3), nameserverId: "ns-a", zone: f.zone, name: `n${String(i).padStart(2, "0")}.${f.zone}`, count: 1 })),
        { minute: m(3), nameserverId: "ns-a", zone: `x${f.zone}`, name: `www.x${f.zone}`, count: 999 },
      ],
    });

    const byRcode = await domainTraffic(f.people.viewer, domainRef(f), "1h", undefined, db(), now);
    expect(byRcode).toMatchObject({ domain: { name: f.zone }, tenant: { slug: f.slug }, range: "1h", breakdown: "rcode" });
    expect(byRcode.queries.keys).toEqual(["NOERROR", "NXDOMAIN"]);
    expect(byRcode.queries.totalQueries).toBe(240);
    expect(byRcode.queries.points.find((p) => p.at === m(10).getTime())).toMatchObject({ queries: 120, qps: 2, byKey: { NOERROR: 1.5, NXDOMAIN: 0.5 } });
    expect(byRcode.queries.points.filter((p) => p.queries > 0)).toHaveLength(2);
    expect(byRcode.topNames.map((n) => [n.name, n.queries])).toEqual([
      [`www.${f.zone}`, 100],
      [`mail.${f.zone}`, 40],
      [f.zone, 40],
      ...Array.from({ length: 7 }, (_, i) => [`n${String(i).padStart(2, "0")}.${f.zone}`, 1]),
    ]);
    expect(byRcode.topNames[0].share).toBeCloseTo(100 / 240);

    const byQtype = await domainTraffic(f.people.viewer, domainRef(f), "1h", "qtype", db(), now);
    expect(byQtype.breakdown).toBe("qtype");
    expect(byQtype.queries.keys).toEqual(["AAAA", "A", "MX", "TXT"]);
    expect(byQtype.queries.totalsByKey).toEqual({ AAAA: 120, A: 60, MX: 30, TXT: 30 });

    // Minutes from before the domain was added here were someone else's.
    await db().domain.update({ where: { name: f.zone }, data: { createdAt: new Date(m(5).getTime() + 30_000) } });
    const since = await domainTraffic(f.people.viewer, domainRef(f), "1h", "rcode", db(), now);
    expect(since.queries.totalQueries).toBe(120);
    expect(since.topNames.map((n) => n.name).slice(0, 2)).toEqual([`mail.${f.zone}`, `www.${f.zone}`]);
  });

  it("folds all but the busiest query types into one series", async () => {
    const f = await tenantWithEveryone();
    const now = new Date();
    await db().domain.update({ where: { name: f.zone }, data: { createdAt: new Date(now.getTime() - 3_600_000) } });
    const types = ["A", "AAAA", "MX", "TXT", "NS", "SOA", "CAA", "SRV", "PTR"];
    await queryStats(db(), types.map((qtype, i) => ({ minute: minuteBefore(now, 1), nameserverId: "ns-a", zone: f.zone, qtype, count: 100 - i })));
    // What the nameservers count as "other" themselves (types they do not count by name) joins the rest.
    await queryStats(db(), [{ minute: minuteBefore(now, 2), nameserverId: "ns-a", zone: f.zone, qtype: "other", count: 5 }]);
    const traffic = await domainTraffic(f.people.owner, domainRef(f), "1h", "qtype", db(), now);
    expect(traffic.queries.keys).toHaveLength(MAX_SERIES);
    expect(traffic.queries.keys).toEqual([...types.slice(0, MAX_SERIES - 1), OTHER_KEY]);
    expect(traffic.queries.totalsByKey[OTHER_KEY]).toBe(94 + 93 + 92 + 5);

    // A few types and the nameservers' "other": each type its own series, "other" once, last.
    const few = await tenantWithEveryone();
    await db().domain.update({ where: { name: few.zone }, data: { createdAt: new Date(now.getTime() - 3_600_000) } });
    await queryStats(db(), [
      { minute: minuteBefore(now, 1), nameserverId: "ns-a", zone: few.zone, qtype: "other", count: 50 },
      { minute: minuteBefore(now, 1), nameserverId: "ns-a", zone: few.zone, qtype: "A", count: 10 },
    ]);
    expect((await domainTraffic(few.people.owner, domainRef(few), "1h", "qtype", db(), now)).queries.keys).toEqual(["A", OTHER_KEY]);
  });
});

describe("who sees the dashboards", () => {
  it("platformDashboard: platform admins only, everyone else finds nothing", async () => {
    const f = await tenantWithEveryone();
    for (const who of EVERYONE) {
      const call = platformDashboard(f.people[who], "1h");
      if (who === "platform") await expect(call).resolves.toMatchObject({ range: "1h" });
      else await expect(call).rejects.toThrow(NotFoundError);
    }
  });

  it("domainTraffic: the tenant's members and platform admins; outsiders and other tenants' URLs find nothing", async () => {
    const f = await tenantWithEveryone();
    for (const who of EVERYONE) {
      const call = domainTraffic(f.people[who], domainRef(f), "24h");
      if (who === "outsider") await expect(call).rejects.toThrow(NotFoundError);
      else await expect(call).resolves.toMatchObject({ domain: { name: f.zone } });
    }
    // The domain under another tenant's slug, and a domain that does not exist.
    const other = await tenantWithEveryone();
    for (const role of ROLES) {
      await expect(domainTraffic(f.people[role], { tenant: other.slug, domain: f.zone }, "1h")).rejects.toThrow(NotFoundError);
      await expect(domainTraffic(f.people[role], { tenant: f.slug, domain: other.zone }, "1h")).rejects.toThrow(NotFoundError);
      await expect(domainTraffic(f.people[role], { tenant: f.slug, domain: "nope..test" }, "1h")).rejects.toThrow(NotFoundError);
    }
  });
});
