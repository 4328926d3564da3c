// npm run bench: our nameserver against NSD on the same 1000 zones, on this machine.
//
//   1. embedded PostgreSQL in a temp dir, migrations, 1000 zones x 20 records through the
//      real write path (createHostedDomain + applyChangeSet)
//   2. the same zones as zone files for NSD; NSD and our nameserver each pinned to core 0
//      (one at a time under load), dnsperf pinned to core 1
//   3. throughput: dnsperf unthrottled, 3 rounds alternating ours/NSD, medians
//   4. latency percentiles: dnsperf -v (one line per response) at the same fixed rate for both
//   5. memory of the serving processes; edit->served latency for 200 edits
//
// Settings (environment): BENCH_SECONDS (per throughput run, default 10), BENCH_ROUNDS (3),
// BENCH_ZONES (1000), BENCH_EDITS (200), BENCH_LATENCY_QPS (10000), BENCH_LATENCY_SECONDS (5);
// at scale (bench/scale.ts): BENCH_SCALE (0 skips it), BENCH_BIG_ZONE_RECORDS (100000), BENCH_MILLION (1000000).
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { db } from "../lib/db/client.ts";
import { freePort, startEmbeddedPostgres } from "../lib/db/embedded-postgres.ts";
import { applyMigrations } from "../lib/db/migrate.ts";
import { crossCheck } from "./cross-check.ts";
import { queryLines, runDnsperf, writeQueryFile, type DnsperfResult } from "./dnsperf.ts";
import { measureEditLatency, summarize } from "./edit-latency.ts";
import { startNsd } from "./nsd.ts";
import { servingPid, startOurNameserver } from "./ours.ts";
import { coreTimes, HAS_TASKSET, rssBytes, treeCpuSeconds, treePss, type Server } from "./processes.ts";
import { responseSizeReport } from "./response-size.ts";
import { median, percentile, seededRandom } from "./stats.ts";
import { exportZoneFiles, loadZones, type LoadedZone } from "./zones.ts";
import { runScaleBench } from "./scale.ts";

const env = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return process.env[name] && Number.isFinite(n) && n > 0 ? n : fallback;
};
const SETTINGS = {
  seconds: env("BENCH_SECONDS", 10),
  rounds: env("BENCH_ROUNDS", 3),
  zones: env("BENCH_ZONES", 1000),
  edits: env("BENCH_EDITS", 200),
  latencyQps: env("BENCH_LATENCY_QPS", 10_000),
  latencySeconds: env("BENCH_LATENCY_SECONDS", 5),
  loadConcurrency: 8,
  queryLines: 10_000,
  // dnsperf: 10 client sockets, at most 100 queries outstanding (its default, made explicit).
  clients: 10,
  outstanding: 100,
  serverCore: 0,
  clientCore: 1,
  editTargetP99Ms: 50,
  // At scale (bench/scale.ts): BENCH_SCALE=0 skips it.
  scale: process.env.BENCH_SCALE !== "0",
  bigZoneRecords: env("BENCH_BIG_ZONE_RECORDS", 100_000),
  million: env("BENCH_MILLION", 1_000_000),
  qpsTargetRatio: 0.7,
};

const log = (msg: string) => console.log(`[bench] ${msg}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const mb = (bytes: number | undefined) => (bytes === undefined ? "?" : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

// Cleanup actions, run in reverse order of registration at the end, on error and on Ctrl-C.
const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
let cleaningUp: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const { what, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (e) {
        console.error(`[bench] cleanup (${what}) failed: ${(e as Error).message}`);
      }
    }
  })();
  return cleaningUp;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
}

async function startDatabase(): Promise<string> {
  const t = performance.now();
  // A temp dir of its own, directly under /tmp: when we run as root, PostgreSQL runs as another
  // OS user, which could not enter a directory inside our (mode 0700) temp dir.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "dns-bench-pg-"));
  cleanups.push({ what: "remove PostgreSQL data dir", run: () => rm(dataDir, { recursive: true, force: true }) });
  const pg = await startEmbeddedPostgres({ dataDir });
  cleanups.push({ what: "stop PostgreSQL", run: pg.stop });
  await applyMigrations(pg.url);
  // lib/db/client.ts reads DATABASE_URL on the first db() call, which comes after this.
  process.env.DATABASE_URL = pg.url;
  cleanups.push({ what: "disconnect Prisma", run: () => db().$disconnect() });
  log(`PostgreSQL up and migrated in ${seconds(performance.now() - t)}`);
  return pg.url;
}

interface Target {
  port: number;
  /** The pid whose process tree is the server (for its CPU time). */
  pid: number;
}

interface Measured extends DnsperfResult {
  /** CPU time of the server's processes / wall time: 1.0 = its core was saturated. */
  serverBusy: number;
  /** How busy dnsperf's core was (dnsperf itself plus the kernel's loopback work charged there). */
  clientCoreBusy: number;
  /**
   * Busy time of the server's core NOT spent by the server: other processes on this machine
   * (and kernel work for them). Anything above a few percent means the run was disturbed.
   */
  serverCoreOther: number;
}

/**
 * One unthrottled dnsperf run, with the server's CPU use alongside. When the server is not
 * near 100% busy, dnsperf (one core) was the limit and the QPS is a lower bound of the server's.
 */
async function throughputRun(file: string, target: Target, secs: number): Promise<Measured> {
  const busy = (before: { busy: number; total: number }, after: { busy: number; total: number }) =>
    (after.busy - before.busy) / Math.max(1, after.total - before.total);
  const cpuBefore = treeCpuSeconds(target.pid);
  const clientCoreBefore = coreTimes(SETTINGS.clientCore);
  const serverCoreBefore = coreTimes(SETTINGS.serverCore);
  const t0 = performance.now();
  const result = await runDnsperf({ port: target.port, file, seconds: secs, clients: SETTINGS.clients, outstanding: SETTINGS.outstanding, core: SETTINGS.clientCore });
  const wall = (performance.now() - t0) / 1000;
  const serverBusy = (treeCpuSeconds(target.pid) - cpuBefore) / wall;
  return {
    ...result,
    serverBusy,
    clientCoreBusy: busy(clientCoreBefore, coreTimes(SETTINGS.clientCore)),
    serverCoreOther: Math.max(0, busy(serverCoreBefore, coreTimes(SETTINGS.serverCore)) - serverBusy),
  };
}

interface Round {
  ours: Measured;
  nsd: Measured;
}

async function throughputRounds(file: string, ours: Target, nsd: Target): Promise<Round[]> {
  // Warm-up, not counted: V8's JIT for ours, caches for both.
  log("warm-up: 2 s each");
  await throughputRun(file, ours, 2);
  await throughputRun(file, nsd, 2);
  const rounds: Round[] = [];
  const describe = (m: Measured) =>
    `${m.qps.toFixed(0)} qps (avg ${m.avgLatencyMs.toFixed(3)} ms, lost ${m.lost}, server CPU ${pct(m.serverBusy)}, dnsperf core ${pct(m.clientCoreBusy)}, others on server core ${pct(m.serverCoreOther)})`;
  for (let r = 0; r < SETTINGS.rounds; r++) {
    const o = await throughputRun(file, ours, SETTINGS.seconds);
    const n = await throughputRun(file, nsd, SETTINGS.seconds);
    log(`round ${r + 1}/${SETTINGS.rounds}: ours ${describe(o)}; NSD ${describe(n)}`);
    rounds.push({ ours: o, nsd: n });
  }
  return rounds;
}

async function latencyRun(file: string, port: number, qps: number) {
  const result = await runDnsperf({
    port, file, seconds: SETTINGS.latencySeconds, clients: SETTINGS.clients, outstanding: SETTINGS.outstanding,
    maxQps: qps, verbose: true, core: SETTINGS.clientCore,
  });
  const l = result.latenciesMs!;
  return { qps: result.qps, lost: result.lost, p50: percentile(l, 50), p99: percentile(l, 99), max: percentile(l, 100), count: l.length };
}

function printTable(rows: [string, string, string, string][]) {
  const widths = [28, 14, 14, 10];
  const pad = (s: string, w: number, i: number) => (i === 0 ? s.padEnd(w) : s.padStart(w));
  console.log("");
  for (const row of rows) console.log(row.map((cell, i) => pad(cell, widths[i], i)).join("").trimEnd());
}

async function main() {
  log(`settings: ${JSON.stringify(SETTINGS)}`);
  log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (others running here make the figures noisy)`);
  if (!HAS_TASKSET) log("WARNING: taskset is not available: servers and dnsperf run UNPINNED and compete for both cores");
  const tmp = await mkdtemp(path.join(os.tmpdir(), "dns-bench-"));
  cleanups.push({ what: "remove temp dir", run: () => rm(tmp, { recursive: true, force: true }) });
  const random = seededRandom(20_240_601);

  const databaseUrl = await startDatabase();

  // 1. Zones through the write path.
  let t = performance.now();
  const zones: LoadedZone[] = await loadZones(SETTINGS.zones, SETTINGS.loadConcurrency);
  const loadMs = performance.now() - t;
  log(`loaded ${zones.length} zones x 20 records through the write path in ${seconds(loadMs)} (${(zones.length / (loadMs / 1000)).toFixed(0)} zones/s, concurrency ${SETTINGS.loadConcurrency})`);

  // 2. NSD on the same data.
  t = performance.now();
  const nsdDir = path.join(tmp, "nsd");
  const zonesDir = path.join(nsdDir, "zones");
  await mkdir(zonesDir, { recursive: true });
  const zoneFiles = await exportZoneFiles(zonesDir);
  const nsdPort = await freePort();
  const nsd: Server = await startNsd({ dir: nsdDir, zonesDir, port: nsdPort, zones: zoneFiles, core: SETTINGS.serverCore });
  cleanups.push({ what: "stop NSD", run: nsd.stop });
  log(`NSD serving ${zoneFiles.length} zone files on 127.0.0.1:${nsdPort} (export + start ${seconds(performance.now() - t)})`);

  // 3. Our nameserver.
  t = performance.now();
  const oursPort = await freePort();
  const ours = await startOurNameserver({ databaseUrl, port: oursPort, core: SETTINGS.serverCore });
  cleanups.push({ what: "stop our nameserver", run: ours.stop });
  const oursPid = servingPid(ours);
  log(`our nameserver ready on 127.0.0.1:${oursPort} in ${seconds(performance.now() - t)} (serving pid ${oursPid}): ${ours.output().match(/serving .*/)?.[0] ?? ""}`);
  const oursRssAtStart = rssBytes(oursPid);
  const udpIo = /udp-io=(\w+)/.exec(ours.output())?.[1] ?? "unknown";

  // 4. Same answers? (A sample of the query mix, on both.)
  const lines = queryLines(zones.length, SETTINGS.queryLines, random);
  const differences = await crossCheck(lines.slice(0, 300), oursPort, nsdPort);
  if (differences.length) {
    log("differences between ours and NSD in 300 sample queries (kind: count, example):");
    for (const d of differences) console.log(`    ${d.kind}: ${d.count}x, e.g. ${d.example}`);
  } else log("cross-check: ours and NSD give the same rcode, AA, answer, authority and additional names on 300 sample queries");

  // 5. Throughput.
  const queryFile = path.join(tmp, "queries.txt");
  await writeQueryFile(queryFile, lines);
  const rounds = await throughputRounds(queryFile, { port: oursPort, pid: ours.child.pid! }, { port: nsdPort, pid: nsd.child.pid! });
  log(`response codes, ours: ${rounds[0].ours.responseCodes}`);
  log(`response codes, NSD:  ${rounds[0].nsd.responseCodes}`);
  const oursQps = median(rounds.map((r) => r.ours.qps));
  const nsdQps = median(rounds.map((r) => r.nsd.qps));
  const oursAvg = median(rounds.map((r) => r.ours.avgLatencyMs));
  const nsdAvg = median(rounds.map((r) => r.nsd.avgLatencyMs));
  const oursBusy = median(rounds.map((r) => r.ours.serverBusy));
  const nsdBusy = median(rounds.map((r) => r.nsd.serverBusy));
  const disturbed = rounds.flatMap((r) => [r.ours, r.nsd]).filter((m) => m.serverCoreOther > 0.05).length;
  if (disturbed) log(`WARNING: in ${disturbed} of ${rounds.length * 2} runs other processes took more than 5% of the server core: this machine is busy, figures are noisy`);
  // Queries per second of server CPU: comparable even when dnsperf, not the server, was the limit.
  const oursPerCpu = median(rounds.map((r) => r.ours.qps / r.ours.serverBusy));
  const nsdPerCpu = median(rounds.map((r) => r.nsd.qps / r.nsd.serverBusy));

  // 6. Memory, after the load (the answer cache is as full as this query mix makes it).
  const oursRss = rssBytes(oursPid);
  const oursTreePss = treePss(ours.child.pid!);
  const nsdTreePss = treePss(nsd.child.pid!);
  log(`memory: ours serving process VmRSS ${mb(oursRssAtStart)} at start, ${mb(oursRss)} after load; PSS of its process tree ${mb(oursTreePss)}; NSD PSS of all its processes ${mb(nsdTreePss)}`);

  // 7. Latency percentiles at a fixed rate both can sustain (below saturation, so the figure
  // is service time and not queueing behind 100 outstanding queries).
  const latencyQps = Math.min(SETTINGS.latencyQps, Math.floor(oursQps / 2));
  log(`latency: dnsperf -v at ${latencyQps} qps for ${SETTINGS.latencySeconds} s each`);
  const oursLatency = await latencyRun(queryFile, oursPort, latencyQps);
  const nsdLatency = await latencyRun(queryFile, nsdPort, latencyQps);
  for (const [who, l] of [["ours", oursLatency], ["NSD", nsdLatency]] as const) {
    log(`  ${who}: ${l.count} responses, achieved ${l.qps.toFixed(0)} qps, lost ${l.lost}, p50 ${l.p50.toFixed(3)} ms, p99 ${l.p99.toFixed(3)} ms, max ${l.max.toFixed(3)} ms`);
  }

  // 8. Edit -> served.
  log(`edit->served: ${SETTINGS.edits} edits`);
  t = performance.now();
  const edits = await measureEditLatency({ zones, edits: SETTINGS.edits, port: oursPort, random });
  const served = summarize(edits.servedMs);
  const commit = summarize(edits.commitMs);
  log(`  ${edits.servedMs.length} served, ${edits.timedOut} not served within 5 s, ${edits.wrongRecord} served the new serial without the new record; took ${seconds(performance.now() - t)}`);
  log(`  applyChangeSet itself: p50 ${commit.p50.toFixed(1)} ms, p99 ${commit.p99.toFixed(1)} ms; commit->served max ${served.max.toFixed(1)} ms`);

  // 8b. Response sizes (name compression, RFC 1035 §4.1.4): each query of the mix once to each server.
  for (const line of await responseSizeReport(lines, oursPort, nsdPort)) log(line);

  // 9. The table.
  const ratio = oursQps / nsdQps;
  const f = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
  printTable([
    ["", "ours", "NSD", "ours/NSD"],
    [`QPS (median of ${rounds.length})`, f(oursQps, 0), f(nsdQps, 0), f(ratio, 2)],
    ["server CPU busy (median)", pct(oursBusy), pct(nsdBusy), ""],
    ["QPS per server CPU-second", f(oursPerCpu, 0), f(nsdPerCpu, 0), f(oursPerCpu / nsdPerCpu, 2)],
    ["avg latency ms (saturated)", f(oursAvg), f(nsdAvg), f(oursAvg / nsdAvg, 2)],
    [`p50 latency ms @${latencyQps} qps`, f(oursLatency.p50), f(nsdLatency.p50), f(oursLatency.p50 / nsdLatency.p50, 2)],
    [`p99 latency ms @${latencyQps} qps`, f(oursLatency.p99), f(nsdLatency.p99), f(oursLatency.p99 / nsdLatency.p99, 2)],
    ["nameserver RSS", mb(oursRss), "", ""],
    ["memory (PSS, all processes)", mb(oursTreePss), mb(nsdTreePss), f(oursTreePss / nsdTreePss, 2)],
    ["edit->served p50/p99", `${f(served.p50, 1)} / ${f(served.p99, 1)} ms`, "", ""],
  ]);
  const qpsPass = ratio >= SETTINGS.qpsTargetRatio;
  const editPass = edits.timedOut === 0 && edits.wrongRecord === 0 && served.p99 <= SETTINGS.editTargetP99Ms;
  console.log(`target: ours QPS >= ${SETTINGS.qpsTargetRatio * 100}% of NSD: ${qpsPass ? "PASS" : "FAIL"} (${f(ratio * 100, 0)}%)`);
  console.log(`target: edit->served p99 <= ${SETTINGS.editTargetP99Ms} ms: ${editPass ? "PASS" : "FAIL"} (${f(served.p99, 1)} ms${edits.timedOut ? `, ${edits.timedOut} timed out` : ""})`);
  console.log(
    `notes: servers pinned to core ${SETTINGS.serverCore}, dnsperf to core ${SETTINGS.clientCore}${HAS_TASKSET ? "" : " (NOT pinned: taskset missing)"}; ` +
      `dnsperf -c ${SETTINGS.clients} -q ${SETTINGS.outstanding}, ${SETTINGS.seconds} s per run, UDP, no EDNS; the query file (${SETTINGS.queryLines} lines) repeats, so ours answers mostly from its answer cache; ` +
      `"saturated" latency is mostly queueing (about ${SETTINGS.outstanding} outstanding / QPS); percentiles come from dnsperf -v per-response latencies; ` +
      `"nameserver RSS" is VmRSS of the serving node process; ours used ${udpIo === "batch" ? "batched UDP (recvmmsg/sendmmsg addon)" : "node:dgram for UDP"} (DNS_UDP_IO=dgram npm run bench measures the other).`,
  );

  // 10. At scale: big zones, whole reloads under load, a million records (bench/scale.ts).
  if (!SETTINGS.scale) return;
  await ours.stop();
  await nsd.stop();
  const scaleRows = await runScaleBench(
    databaseUrl,
    { smallZones: zones, queryFile, edit: { p50: served.p50, p99: served.p99 }, nsdP99: nsdLatency.p99 },
    {
      bigZoneRecords: SETTINGS.bigZoneRecords, million: SETTINGS.million, chunk: 100_000, edits: SETTINGS.edits,
      latencyQps, latencySeconds: SETTINGS.latencySeconds, serverCore: SETTINGS.serverCore, clientCore: SETTINGS.clientCore, tmp,
    },
  );
  console.log("");
  for (const row of [["at scale", "ours", "reference"], ...scaleRows]) console.log(row[0].padEnd(44) + row[1].padStart(18) + "   " + row[2]);
  console.log(
    "notes: the big zone is written as one change set; edits are one-record updates; whole reloads are asked for by NOTIFY serial 0 every 100 ms " +
      "during a fixed-rate dnsperf run on the small zones; start figures are ours' own \"loaded in\" (database to serving) with VmRSS, and NSD's spawn-to-answering with the PSS of its processes.",
  );
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  console.error(`[bench] FAILED: ${(e as Error).stack ?? e}`);
  exitCode = 1;
} finally {
  await cleanup();
}
// Prisma's pg pool would keep Node alive for a while.
process.exit(exitCode);
