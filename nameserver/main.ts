// The nameserver process: npm run nameserver (npm start runs it beside the panel).
// Configuration: DATABASE_URL (or the embedded database), DNS_ADDRESS and REGISTRY_DNS_ADDRESS
// (lists: which addresses answer which zones, nameserver/views.ts), DNS_PORT, NAMESERVER_ID,
// DNS_CACHE_BYTES, DNS_MINIMAL_RESPONSES (yes | no), DNS_RESYNC_INTERVAL_MS, DNS_TCP_* (limits), DNS_RRL_* (rate limiting),
// DNS_UDP_IO (batch | dgram), METRICS_PORT / METRICS_ADDRESS, QUERY_STATS_FLUSH_MS and
// METRICS_RETENTION_DAYS (query rollups, nameserver/query-stats-rollup.ts).
import os from "node:os";
import { listenConfig, metricsSettings, rrlSettings, tcpLimitSettings } from "../lib/config.ts";
import { openDatabase } from "../lib/db/bootstrap.ts";
import { AnswerCache } from "./answer-cache.ts";
import type { Responder } from "./answer-query.ts";
import { ServedSerialReporter } from "./served-serials.ts";
import { nameserverRegistry, startMetricsServer } from "./metrics.ts";
import { QueryCounters } from "./query-stats.ts";
import { QueryStatsRollup, rollupSettings } from "./query-stats-rollup.ts";
import { ResponseRateLimiter, rrlEnabled } from "./rrl.ts";
import { listen } from "./transport.ts";
import { listenBindings, ServedZones, VIEW_DESCRIPTIONS, type ViewName } from "./views.ts";
import { ZoneSync } from "./zone-sync.ts";

const log = (msg: string) => console.log(`[nameserver] ${msg}`);
const listenOn = listenConfig();
const bindings = listenBindings(listenOn);
const port = listenOn.port;
const nameserverId = process.env.NAMESERVER_ID ?? `${os.hostname()}:${port}`;

const database = await openDatabase({ migrate: !process.env.DATABASE_URL });
const zones = new ServedZones(bindings.map((b) => b.view));
// One answer cache per view: the same question has different answers in different views.
const cacheBytes = Number(process.env.DNS_CACHE_BYTES ?? 64 * 1024 * 1024);
// Minimal responses unless DNS_MINIMAL_RESPONSES=no: no MX/SRV target addresses in additional (lookup.ts).
const minimalResponses = process.env.DNS_MINIMAL_RESPONSES !== "no";
// Queries are counted once for the process, whichever view answers (the zone is the label).
const queryCounters = new QueryCounters();
const responders = new Map<ViewName, Responder>(
  zones.viewNames.map((view) => [view, { zones: zones.view(view), cache: new AnswerCache(zones.view(view), cacheBytes), minimal: minimalResponses, stats: queryCounters }]),
);
const rollupEvery = rollupSettings();
const rollup = new QueryStatsRollup(queryCounters, database.url, nameserverId, rollupEvery, log);
const reporter = new ServedSerialReporter(database.url, nameserverId);
const sync = new ZoneSync(zones, {
  databaseUrl: database.url,
  nameserverId,
  resyncIntervalMs: Number(process.env.DNS_RESYNC_INTERVAL_MS ?? 30_000),
  log,
});
sync.onZoneLoaded = (zoneId, serial) => reporter.report(zoneId, serial);

const started = Date.now();
await sync.start();
reporter.startHeartbeat();
rollup.start();
const udpIo = process.env.DNS_UDP_IO === "dgram" ? "dgram" : "batch";
// One rate limiter for every address (a flood is limited whichever address it is aimed at).
const rrlConfig = rrlSettings();
const rrl = rrlEnabled(rrlConfig) ? new ResponseRateLimiter(rrlConfig) : null;
const listening = await listen(
  bindings.map((b) => ({ address: b.address, responder: responders.get(b.view)! })),
  { port, log, udpIo, tcp: tcpLimitSettings(), rrl },
);
const metricsAt = metricsSettings();
const metricsSources = {
  rrl,
  tcp: listening.tcp,
  queries: queryCounters,
  caches: [...responders.values()].map((r) => r.cache),
  zones,
  serialLag: () => sync.serialLag(),
  rollup,
};
const metrics = metricsAt && (await startMetricsServer(nameserverRegistry(metricsSources), metricsAt.address, metricsAt.port, log));
const where = bindings.map((b) => `${b.address} answers ${VIEW_DESCRIPTIONS[b.view]} (${zones.view(b.view).size})`).join("; ");
const udpKind = listening.udpIo === "batch" ? "batched recvmmsg/sendmmsg" : "node:dgram";
log(`serving ${zones.size} zones on port ${listening.udpPort} (udp: ${udpKind}; tcp), loaded in ${Date.now() - started} ms: ${where}`);
log(rrl
  ? `udp rate limiting: ${rrlConfig.responsesPerSecond} responses/s per flow (/${rrlConfig.ipv4PrefixLength}, /${rrlConfig.ipv6PrefixLength}), slip ${rrlConfig.slip}, window ${rrlConfig.windowSeconds} s`
  : "udp rate limiting: off");
if (metrics) log(`metrics: http://${metricsAt!.address}:${metrics.port}/metrics`);
log(`query rollups: every ${rollupEvery.flushMs} ms into QueryStat/QueryNameStat, kept ${rollupEvery.retentionDays} days`);
// Machine-readable line for tests and the launcher.
console.log(`NAMESERVER_READY udp=${listening.udpPort} tcp=${listening.tcpPort} udp-io=${listening.udpIo}${metrics ? ` metrics=${metrics.port}` : ""}`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await listening.close();
  await metrics?.close();
  // What was counted since the last rollup (the database is still there: it stops last).
  await rollup.close();
  await sync.stop();
  await reporter.close();
  await database.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
