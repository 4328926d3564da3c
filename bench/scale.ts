// The nameserver at scale (part of npm run bench): big zones, whole reloads under load, a
// million records at start. Each figure is printed beside its reference: the 20-record zones
// of the main run, the same server without reloads, or NSD on the same data.
//
//   1. a zone of BENCH_BIG_ZONE_RECORDS (100,000) records, written as ONE change set through
//      the write path (what a zone import is): how long the commit takes;
//   2. one-record edits in that zone: edit -> served p50/p99 (beside the 20-record zones');
//   3. query latency at a fixed rate on the small zones, while the big zone is loaded whole again
//      and again (NOTIFY serial 0 asks for that): p99 beside the same run without reloads;
//   4. BENCH_MILLION (1,000,000) records, across 1,000 zones and in one zone: time from start to
//      serving, and memory, beside NSD starting on the same zones as zone files.
//
// Which zones a server loads is chosen by suspending tenants: a suspended tenant's zones are
// not served (lib/zone/served.ts), so every scenario lives in the same database.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { db } from "../lib/db/client.ts";
import { createHostedDomain } from "../lib/domains.ts";
import type { RecordInput } from "../lib/records/record-input.ts";
import { applyChangeSet } from "../lib/zone/change-set.ts";
import { runDnsperf } from "./dnsperf.ts";
import { measureEditLatency, summarize } from "./edit-latency.ts";
import { startNsd } from "./nsd.ts";
import { servingPid, startOurNameserver } from "./ours.ts";
import { freePort } from "../lib/db/embedded-postgres.ts";
import { rssBytes, treePss, type Server } from "./processes.ts";
import { forEachConcurrently, percentile } from "./stats.ts";
import { ACTOR, exportZoneFiles, type LoadedZone } from "./zones.ts";

export interface ScaleSettings {
  bigZoneRecords: number;
  million: number;
  /** Records per change set when loading the million-record zones. */
  chunk: number;
  edits: number;
  latencyQps: number;
  latencySeconds: number;
  serverCore: number;
  clientCore: number;
  tmp: string;
}

/** What the main run measured, for comparison. */
export interface MainFigures {
  smallZones: LoadedZone[];
  queryFile: string;
  edit: { p50: number; p99: number };
  nsdP99: number;
}

const log = (msg: string) => console.log(`[bench:scale] ${msg}`);
const mb = (bytes: number | undefined) => (bytes === undefined ? "?" : `${(bytes / 1024 / 1024).toFixed(0)} MB`);
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** `count` records of a realistic mix (A, AAAA, TXT, CNAME; every name distinct), numbered from `from`. */
function bulkRecords(zone: string, from: number, count: number): RecordInput[] {
  const out: RecordInput[] = [];
  for (let i = from; i < from + count; i++) {
    const kind = i % 10;
    if (kind < 6) out.push({ name: `h${i}`, type: "A", ttl: 300, content: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    else if (kind === 6) out.push({ name: `h${i}`, type: "AAAA", ttl: 300, content: `2001:db8::${(i & 0xffff).toString(16)}` });
    else if (kind === 7) out.push({ name: `t${i}`, type: "TXT", ttl: 300, content: `v=spf1 ip4:10.0.0.${i & 255} -all` });
    else out.push({ name: `c${i}`, type: "CNAME", ttl: 300, content: `h${i - kind}.${zone}.` });
  }
  return out;
}

async function tenant(slug: string) {
  return db().tenant.create({ data: { slug, name: slug } });
}

/** Serves only the zones of these tenants (the others are suspended). */
async function serveOnly(tenantIds: string[]) {
  await db().tenant.updateMany({ where: { id: { notIn: tenantIds } }, data: { status: "suspended" } });
  await db().tenant.updateMany({ where: { id: { in: tenantIds } }, data: { status: "active" } });
}

/** A zone with `count` records, written in change sets of `chunk`; returns it and the time of its biggest commit. */
async function bigZone(tenantId: string, name: string, count: number, chunk: number) {
  const { zoneId } = await createHostedDomain({ tenantId, name }, ACTOR);
  let slowest = 0;
  for (let from = 0; from < count; from += chunk) {
    const t = performance.now();
    await applyChangeSet(zoneId, { add: bulkRecords(name, from, Math.min(chunk, count - from)) }, ACTOR);
    slowest = Math.max(slowest, performance.now() - t);
  }
  return { zone: { id: zoneId, name }, commitMs: slowest };
}

/** Starts our nameserver on what is served now; the time from spawn to answering, and what it said it loaded in. */
async function startOurs(databaseUrl: string, core: number) {
  const port = await freePort();
  const t = performance.now();
  const server = await startOurNameserver({ databaseUrl, port, core, env: { DNS_RESYNC_INTERVAL_MS: "0" } });
  const readyMs = performance.now() - t;
  const loadedMs = Number(/loaded in (\d+) ms/.exec(server.output())?.[1] ?? NaN);
  return { server, port, readyMs, loadedMs, pid: servingPid(server) };
}

async function startNsdOn(zones: string[], dir: string, core: number) {
  await mkdir(path.join(dir, "zones"), { recursive: true });
  const files = await exportZoneFiles(path.join(dir, "zones"), { name: { in: zones } });
  const port = await freePort();
  const t = performance.now();
  const nsd = await startNsd({ dir, zonesDir: path.join(dir, "zones"), port, zones: files, core });
  return { nsd, readyMs: performance.now() - t };
}

async function latencyP99(file: string, port: number, s: ScaleSettings) {
  const r = await runDnsperf({ port, file, seconds: s.latencySeconds, clients: 10, outstanding: 100, maxQps: s.latencyQps, verbose: true, core: s.clientCore });
  const l = r.latenciesMs!;
  return { p99: percentile(l, 99), max: percentile(l, 100), lost: r.lost, count: l.length };
}

export async function runScaleBench(databaseUrl: string, main: MainFigures, s: ScaleSettings): Promise<[string, string, string][]> {
  const rows: [string, string, string][] = [];
  const smallTenant = (await db().zone.findUniqueOrThrow({ where: { id: main.smallZones[0].id }, select: { tenantId: true } })).tenantId!;

  // 1. The big zone, one change set (plus a record to edit: TXT dyn, A api as the main run has).
  const bigTenant = await tenant("bench-big");
  log(`writing a ${s.bigZoneRecords}-record zone as one change set...`);
  const big = await bigZone(bigTenant.id, "big.bench", s.bigZoneRecords, s.bigZoneRecords);
  await applyChangeSet(big.zone.id, { add: [{ name: "dyn", type: "TXT", ttl: 60, content: "edit 0" }, { name: "api", type: "A", ttl: 60, content: "192.0.2.10" }] }, ACTOR);
  log(`  committed in ${(big.commitMs / 1000).toFixed(1)} s`);
  rows.push([`one change set of ${s.bigZoneRecords} records`, `${(big.commitMs / 1000).toFixed(1)} s`, "target < 30 s"]);

  // 2 and 3: ours serving the small zones and the big one.
  await serveOnly([smallTenant, bigTenant.id]);
  const ours = await startOurs(databaseUrl, s.serverCore);
  try {
    log(`our nameserver up in ${(ours.readyMs / 1000).toFixed(1)} s (loaded in ${ours.loadedMs} ms), RSS ${mb(rssBytes(ours.pid))}`);
    const edits = await measureEditLatency({ zones: [big.zone], edits: s.edits, port: ours.port, random: Math.random });
    const served = summarize(edits.servedMs);
    log(`  ${s.edits} edits in the big zone: served p50 ${ms(served.p50)}, p99 ${ms(served.p99)}, max ${ms(served.max)}; ${edits.timedOut} not served within 5 s, ${edits.wrongRecord} wrong`);
    rows.push([`edit->served p50/p99, ${s.bigZoneRecords}-record zone`, `${ms(served.p50)} / ${ms(served.p99)}`, `20-record zones: ${ms(main.edit.p50)} / ${ms(main.edit.p99)}`]);

    await latencyP99(main.queryFile, ours.port, s); // warm-up: the answer cache fills, the JIT settles
    const quiet = await latencyP99(main.queryFile, ours.port, s);
    const wholeLoads = () => [...ours.server.output().matchAll(/zone big\.bench: loaded whole at serial \d+ \((\d+) records, (\d+) ms\)/g)];
    const reload = () => db().$executeRaw`SELECT pg_notify('zone_changed', ${`${big.zone.id}:0`})`.catch(() => {});
    // One whole load of the big zone during the run (a resync, a placement change)...
    const before = wholeLoads().length;
    const once = setTimeout(reload, 1_000);
    const single = await latencyP99(main.queryFile, ours.port, s);
    clearTimeout(once);
    const singleLoads = wholeLoads().length - before;
    // ...and whole loads back to back, asked for every 100 ms (one follows the other).
    const reloadsBefore = wholeLoads().length;
    const notifier = setInterval(reload, 100);
    let busy;
    try {
      busy = await latencyP99(main.queryFile, ours.port, s);
    } finally {
      clearInterval(notifier);
    }
    const loads = wholeLoads().slice(reloadsBefore);
    const loadMs = loads.map((m) => Number(m[2]));
    log(`  query latency at ${s.latencyQps} qps: p99 ${ms(quiet.p99)} quiet; p99 ${ms(single.p99)} (max ${ms(single.max)}) with ${singleLoads} whole load of the big zone; p99 ${ms(busy.p99)} (max ${ms(busy.max)}, lost ${busy.lost}) during ${loads.length} whole loads back to back (median ${ms(percentile(loadMs, 50))} each)`);
    rows.push([`query p99, one whole reload in ${s.latencySeconds} s`, ms(single.p99), `no reloads: ${ms(quiet.p99)}; NSD: ${ms(main.nsdP99)}`]);
    rows.push([`query p99, ${loads.length} whole reloads back to back`, ms(busy.p99), `no reloads: ${ms(quiet.p99)}; NSD: ${ms(main.nsdP99)}`]);
  } finally {
    await ours.server.stop();
  }

  // 4. A million records at start: across 1,000 zones, then in one zone.
  const perZone = Math.max(1, Math.floor(s.million / 1000));
  const spreadTenant = await tenant("bench-spread");
  log(`writing ${s.million} records across 1000 zones...`);
  const spreadZones = Array.from({ length: 1000 }, (_, i) => `spread${i}.bench`);
  await forEachConcurrently(spreadZones, 4, async (name) => {
    await bigZone(spreadTenant.id, name, perZone, s.chunk);
  });
  const hugeTenant = await tenant("bench-huge");
  log(`writing ${s.million} records in one zone...`);
  await bigZone(hugeTenant.id, "huge.bench", s.million, s.chunk);

  for (const [label, tenantId, zones] of [
    [`${s.million} records in 1,000 zones`, spreadTenant.id, spreadZones],
    [`${s.million} records in one zone`, hugeTenant.id, ["huge.bench"]],
  ] as const) {
    await serveOnly([tenantId]);
    const o = await startOurs(databaseUrl, s.serverCore);
    const oursRss = rssBytes(o.pid);
    await o.server.stop();
    const n = await startNsdOn([...zones], path.join(s.tmp, `nsd-${tenantId}`), s.serverCore);
    const nsdPss = treePss(n.nsd.child.pid!);
    await n.nsd.stop();
    log(`  ${label}: ours loaded in ${(o.loadedMs / 1000).toFixed(1)} s (ready ${(o.readyMs / 1000).toFixed(1)} s), RSS ${mb(oursRss)}; NSD ready in ${(n.readyMs / 1000).toFixed(1)} s, PSS ${mb(nsdPss)}`);
    rows.push([`start, ${label}`, `${(o.loadedMs / 1000).toFixed(1)} s, ${mb(oursRss)}`, `NSD: ${(n.readyMs / 1000).toFixed(1)} s, ${mb(nsdPss)}`]);
  }
  await serveOnly([smallTenant]);
  return rows;
}

export type { Server };
