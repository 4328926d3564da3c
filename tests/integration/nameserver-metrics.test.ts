// The nameserver's query metrics on the real process: a known set of queries over UDP and TCP
// (answers, NODATA, NXDOMAIN, REFUSED outside our zones, FORMERR, NOTIMP, repeated questions
// answered from the cache) moves nameserver_queries_total and the cache counters by exactly
// that much (the Prometheus text, parsed), and the per-minute rollups reach QueryStat and
// QueryNameStat: on a short flush interval, after the database refused them for a while, and
// on a clean shutdown; rows past METRICS_RETENTION_DAYS are deleted.
//
// A database of its own: the nameserver then serves only this file's zones, so no other test's
// zone appearing meanwhile makes cached answers look again (the hit and miss counts are exact).
import dgram from "node:dgram";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createHostedDomain } from "../../lib/domains.ts";
import { applyChangeSet, ZONE_CHANGED_CHANNEL } from "../../lib/zone/change-set.ts";
import { buildQuery, decodeReply, sendTcp, sendUdp } from "../helpers/dns-client.ts";
import { TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { eventually, scrapeMetrics, startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";
import { useOwnDatabase } from "../helpers/own-database.ts";

// Real nameserver processes on a busy 2-core machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const own = useOwnDatabase("nsmetrics_");
let databaseUrl: string;
/** The zone the counting test asks, and the one the top-names test asks. */
let zone: string;
let topZone: string;
let ns: NameserverProcess;

beforeAll(async () => {
  const [{ name }] = await own.client.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();

  const tenant = await own.client.tenant.create({ data: { slug: uniqueLabel("m"), name: "metrics" } });
  zone = `${uniqueLabel("m")}.test`;
  topZone = `${uniqueLabel("top")}.test`;
  const { zoneId } = await createHostedDomain({ tenantId: tenant.id, name: zone }, TEST_ACTOR, own.client);
  await applyChangeSet(zoneId, { add: [{ name: "www", type: "A", ttl: 300, content: "192.0.2.1" }] }, TEST_ACTOR, own.client);
  await createHostedDomain({ tenantId: tenant.id, name: topZone }, TEST_ACTOR, own.client);

  // Rollups from long ago (past the 14 days kept) and from yesterday, by another nameserver.
  await own.client.$executeRaw`
    INSERT INTO "QueryStat" (minute, "nameserverId", zone, qtype, rcode, transport, count) VALUES
      ((now() AT TIME ZONE 'UTC') - interval '15 days', 'old-ns', ${zone}, 'A', 'NOERROR', 'udp', 7),
      ((now() AT TIME ZONE 'UTC') - interval '1 day', 'old-ns', ${zone}, 'A', 'NOERROR', 'udp', 5)`;
  await own.client.$executeRaw`
    INSERT INTO "QueryNameStat" (minute, "nameserverId", zone, name, count) VALUES
      ((now() AT TIME ZONE 'UTC') - interval '15 days', 'old-ns', ${zone}, ${`www.${zone}`}, 7)`;

  ns = await startNameserver({ databaseUrl, env: { QUERY_STATS_FLUSH_MS: "250", DNS_RRL_RESPONSES_PER_SECOND: "0" } });
});
afterAll(async () => {
  await ns?.stop();
});

/** A series' labels, parsed from scrapeMetrics' keys (label order does not matter). */
function series(values: Record<string, number>, metric: string): { labels: Record<string, string>; value: number }[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const m = /^([a-z_]+)(?:\{(.*)\})?$/.exec(key);
    if (!m || m[1] !== metric) return [];
    const labels = Object.fromEntries([...(m[2] ?? "").matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    return [{ labels, value }];
  });
}

/** nameserver_queries_total by "zone qtype rcode transport". */
function queries(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    series(values, "nameserver_queries_total").map(({ labels: l, value }) => [`${l.zone} ${l.qtype} ${l.rcode} ${l.transport}`, value]),
  );
}

function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, d]) => d !== 0));
}

/** One UDP query; its reply's RCODE (the server answered, so it has counted it). */
async function udp(message: Buffer, port = ns.port): Promise<string> {
  const raw = await sendUdp(port, message, 5000);
  if (!raw) throw new Error("no reply over UDP");
  return decodeReply(raw).rcode;
}

/** Sums of this nameserver's QueryStat rows, by "zone qtype rcode transport" (zone "" shown as _none). */
async function rolledUp(nameserverId: string): Promise<Record<string, number>> {
  const rows = await own.client.$queryRaw<{ zone: string; qtype: string; rcode: string; transport: string; count: bigint }[]>`
    SELECT zone, qtype, rcode, transport, sum(count) AS count FROM "QueryStat"
    WHERE "nameserverId" = ${nameserverId} GROUP BY zone, qtype, rcode, transport`;
  return Object.fromEntries(rows.map((r) => [`${r.zone || "_none"} ${r.qtype} ${r.rcode} ${r.transport}`, Number(r.count)]));
}

async function namesRolledUp(nameserverId: string, zoneName: string): Promise<Record<string, number>> {
  const rows = await own.client.$queryRaw<{ name: string; count: bigint }[]>`
    SELECT name, sum(count) AS count FROM "QueryNameStat" WHERE "nameserverId" = ${nameserverId} AND zone = ${zoneName} GROUP BY name`;
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.count)]));
}

describe("query metrics", () => {
  it("count a known set of queries by zone, qtype, rcode and transport, cache hits and misses, and roll them up per minute", async () => {
    const before = await scrapeMetrics(ns);
    const outside = `${uniqueLabel("nowhere")}.invalid`;

    // UDP: an answer asked three times (one miss, two hits), NODATA, NXDOMAIN twice, a name
    // outside every zone, a malformed packet (the question cut short), an opcode we do not
    // implement (2, STATUS). 0x20 letter case is the same question.
    expect(await udp(buildQuery(`www.${zone}`, "A"))).toBe("NOERROR");
    expect(await udp(buildQuery(`WWW.${zone.toUpperCase()}`, "A"))).toBe("NOERROR");
    expect(await udp(buildQuery(`www.${zone}`, "A"))).toBe("NOERROR");
    expect(await udp(buildQuery(`www.${zone}`, "AAAA"))).toBe("NOERROR");
    expect(await udp(buildQuery(`missing.${zone}`, "A"))).toBe("NXDOMAIN");
    expect(await udp(buildQuery(`missing.${zone}`, "A"))).toBe("NXDOMAIN");
    expect(await udp(buildQuery(outside, "A"))).toBe("REFUSED");
    expect(await udp(buildQuery(`www.${zone}`, "A", { edns: false }).subarray(0, 20))).toBe("FORMERR");
    expect(await udp(buildQuery(`www.${zone}`, "A", { opcode: 2 }))).toBe("NOTIMP");
    // TCP, one connection: the same answer twice and the NXDOMAIN again (all from the cache).
    const overTcp = await sendTcp(ns.port, [buildQuery(`www.${zone}`, "A"), buildQuery(`www.${zone}`, "A"), buildQuery(`missing.${zone}`, "A")]);
    expect(overTcp.map((r) => decodeReply(r).rcode)).toEqual(["NOERROR", "NOERROR", "NXDOMAIN"]);

    const after = await scrapeMetrics(ns);
    expect(delta(queries(after), queries(before))).toEqual({
      [`${zone} A NOERROR udp`]: 3,
      [`${zone} AAAA NOERROR udp`]: 1,
      [`${zone} A NXDOMAIN udp`]: 2,
      [`${zone} A NOERROR tcp`]: 2,
      [`${zone} A NXDOMAIN tcp`]: 1,
      "_none A REFUSED udp": 1,
      "_none other FORMERR udp": 1,
      "_none A NOTIMP udp": 1, // the question is echoed, so its type is known
    });
    // Misses: www A, www AAAA, missing A, the outside name; everything else came from the cache.
    expect(after.nameserver_answer_cache_misses_total - (before.nameserver_answer_cache_misses_total ?? 0)).toBe(4);
    expect(after.nameserver_answer_cache_hits_total - (before.nameserver_answer_cache_hits_total ?? 0)).toBe(6);
    expect(after.nameserver_queries_dropped_total).toBe(0);

    // What is served, and nothing behind.
    expect(after.nameserver_zones).toBe(2);
    expect(after.nameserver_records).toBe(await own.client.record.count());
    expect(after.nameserver_serial_lag_zones).toBe(0);
    expect(after.nameserver_serial_lag_seconds).toBe(0);
    // Node's process figures (prom-client's default metrics): RSS and event-loop lag.
    const text = await (await fetch(`http://127.0.0.1:${ns.metricsPort}/metrics`)).text();
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds [\d.e-]+/m);

    // The rollups: the same counts under this nameserver's id, zone "" outside every zone.
    const id = `test-${ns.port}`;
    await eventually(async () => expect(await rolledUp(id)).toEqual(delta(queries(after), queries(before))), 30_000, 100);
    await eventually(async () => expect(await namesRolledUp(id, zone)).toEqual({ [`www.${zone}`]: 6, [`missing.${zone}`]: 3 }), 30_000, 100);
    expect(await namesRolledUp(id, "")).toEqual({});
    const [minute] = await own.client.$queryRaw<{ ok: boolean }[]>`
      SELECT bool_and(minute = date_trunc('minute', minute) AND minute > (now() AT TIME ZONE 'UTC') - interval '5 minutes') AS ok
      FROM "QueryStat" WHERE "nameserverId" = ${id}`;
    expect(minute.ok).toBe(true);
  });

  it("deletes rollups older than METRICS_RETENTION_DAYS (14) and keeps the rest", async () => {
    await eventually(async () => {
      const old = await own.client.$queryRaw<{ count: bigint }[]>`
        SELECT count(*) AS count FROM (
          SELECT minute FROM "QueryStat" WHERE "nameserverId" = 'old-ns' AND minute < (now() AT TIME ZONE 'UTC') - interval '14 days'
          UNION ALL SELECT minute FROM "QueryNameStat" WHERE "nameserverId" = 'old-ns' AND minute < (now() AT TIME ZONE 'UTC') - interval '14 days') old`;
      expect(Number(old[0].count)).toBe(0);
    }, 30_000, 100);
    expect(await own.client.queryStat.count({ where: { nameserverId: "old-ns" } })).toBe(1);
  });

  it("keeps counting while the rollups cannot be written, and writes them once they can", async () => {
    const id = `test-${ns.port}`;
    const base = await rolledUp(id);
    // The table away: every rollup write fails, as with the database down (the transaction fails whole).
    await own.client.$executeRawUnsafe(`ALTER TABLE "QueryStat" RENAME TO "QueryStatAway"`);
    try {
      for (let i = 0; i < 5; i++) expect(await udp(buildQuery(`www.${zone}`, "TXT"))).toBe("NOERROR");
      await eventually(async () => expect((await scrapeMetrics(ns)).nameserver_query_stats_pending_minutes).toBeGreaterThan(0), 30_000, 100);
      expect(ns.output()).toContain("query stats: cannot write rollups");
      expect(await udp(buildQuery(`www.${zone}`, "TXT"))).toBe("NOERROR"); // answering goes on
    } finally {
      await own.client.$executeRawUnsafe(`ALTER TABLE "QueryStatAway" RENAME TO "QueryStat"`);
    }
    await eventually(async () => expect(await rolledUp(id)).toEqual({ ...base, [`${zone} TXT NOERROR udp`]: 6 }), 30_000, 100);
    await eventually(async () => expect((await scrapeMetrics(ns)).nameserver_query_stats_pending_minutes).toBe(0), 30_000, 100);
    expect((await scrapeMetrics(ns)).nameserver_query_stats_dropped_rows_total).toBe(0);
  });

  it("writes the top 10 names of each zone, and what was counted since the last rollup on a clean shutdown", async () => {
    // An hour between rollups, on the hour: only the shutdown writes anything (not started
    // within a minute of the hour, when the first rollup would come during the test).
    const toHour = 3_600_000 - (Date.now() % 3_600_000);
    if (toHour < 60_000) await new Promise((r) => setTimeout(r, toHour + 1_000));
    const quiet = await startNameserver({ databaseUrl, env: { QUERY_STATS_FLUSH_MS: "3600000", DNS_RRL_RESPONSES_PER_SECOND: "0" } });
    const id = `test-${quiet.port}`;
    try {
      // n1 asked once ... n12 asked 12 times, interleaved, over one socket in small batches.
      const messages: Buffer[] = [];
      for (let round = 1; round <= 12; round++) {
        for (let k = round; k <= 12; k++) messages.push(buildQuery(`n${k}.${topZone}`, "A"));
      }
      expect(messages).toHaveLength(78);
      expect(await askMany(quiet.port, messages)).toBe(78);
      const counted = queries(await scrapeMetrics(quiet));
      expect(counted[`${topZone} A NXDOMAIN udp`]).toBe(78);
      expect(await rolledUp(id)).toEqual({});
    } finally {
      await quiet.stop();
    }
    expect(await rolledUp(id)).toEqual({ [`${topZone} A NXDOMAIN udp`]: 78 });
    expect(await namesRolledUp(id, topZone)).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`n${12 - i}.${topZone}`, 12 - i])));
  });
});

describe("serial lag", () => {
  it("shows a zone whose announced serial is ahead of the one served, for how long, until it catches up", async () => {
    // No periodic resync: the lag is left for the change below to end.
    const lagging = await startNameserver({ databaseUrl, env: { DNS_RESYNC_INTERVAL_MS: "0" } });
    try {
      const row = await own.client.zone.findFirstOrThrow({ where: { name: topZone } });
      const served = Number(row.serial);
      // Announce the next serial before it exists (as if the database had moved on and the
      // journal could not be followed yet): the nameserver looks, finds nothing newer, serves on.
      await own.client.$executeRaw`SELECT pg_notify(${ZONE_CHANGED_CHANNEL}, ${`${row.id}:${(served + 1) % 2 ** 32}`})`;
      await eventually(async () => {
        const m = await scrapeMetrics(lagging);
        expect(m.nameserver_serial_lag_zones).toBe(1);
        expect(m.nameserver_serial_lag_seconds).toBeGreaterThanOrEqual(0.2);
      }, 30_000, 50);
      // The change itself (a serial at least that one): served, and nothing is behind any more.
      await applyChangeSet(row.id, { add: [{ name: "caught-up", type: "A", ttl: 300, content: "192.0.2.9" }] }, TEST_ACTOR, own.client);
      await eventually(async () => {
        const m = await scrapeMetrics(lagging);
        expect(m.nameserver_serial_lag_zones).toBe(0);
        expect(m.nameserver_serial_lag_seconds).toBe(0);
      }, 30_000, 50);
      expect(await udp(buildQuery(`caught-up.${topZone}`, "A"), lagging.port)).toBe("NOERROR");
    } finally {
      await lagging.stop();
    }
  });
});

/** Sends every message from one UDP socket, 10 at a time, each batch once answered; returns the replies. */
async function askMany(port: number, messages: Buffer[]): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  let replies = 0;
  let waiting: (() => void) | null = null;
  let expected = 0;
  socket.on("message", () => {
    replies++;
    if (replies >= expected) waiting?.();
  });
  try {
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      expected += batch.length;
      const answered = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${replies} of ${expected} replies`)), 10_000);
        waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      for (const m of batch) socket.send(m, port, "127.0.0.1");
      await answered;
    }
  } finally {
    socket.close();
  }
  return replies;
}
