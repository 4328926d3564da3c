// The nameserver process: npm run nameserver (npm start runs it beside the panel).
// Configuration: DATABASE_URL (or the embedded database), DNS_ADDRESS and REGISTRY_DNS_ADDRESS
// (lists: which addresses answer which zones, nameserver/views.ts), DNS_PORT, NAMESERVER_ID,
// DNS_CACHE_ENTRIES, DNS_RESYNC_INTERVAL_MS, DNS_TCP_IDLE_MS, DNS_UDP_IO (batch | dgram).
import os from "node:os";
import { listenConfig } from "../lib/config.ts";
import { openDatabase } from "../lib/db/bootstrap.ts";
import { AnswerCache } from "./answer-cache.ts";
import type { Responder } from "./answer-query.ts";
import { ServedSerialReporter } from "./served-serials.ts";
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
const cacheEntries = Number(process.env.DNS_CACHE_ENTRIES ?? 100_000);
const responders = new Map<ViewName, Responder>(
  zones.viewNames.map((view) => [view, { zones: zones.view(view), cache: new AnswerCache(zones.view(view), cacheEntries) }]),
);
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
const udpIo = process.env.DNS_UDP_IO === "dgram" ? "dgram" : "batch";
const listening = await listen(
  bindings.map((b) => ({ address: b.address, responder: responders.get(b.view)! })),
  { port, log, udpIo, tcpIdleMs: Number(process.env.DNS_TCP_IDLE_MS ?? 10_000) },
);
const where = bindings.map((b) => `${b.address} answers ${VIEW_DESCRIPTIONS[b.view]} (${zones.view(b.view).size})`).join("; ");
const udpKind = listening.udpIo === "batch" ? "batched recvmmsg/sendmmsg" : "node:dgram";
log(`serving ${zones.size} zones on port ${listening.udpPort} (udp: ${udpKind}; tcp), loaded in ${Date.now() - started} ms: ${where}`);
// Machine-readable line for tests and the launcher.
console.log(`NAMESERVER_READY udp=${listening.udpPort} tcp=${listening.tcpPort} udp-io=${listening.udpIo}`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await listening.close();
  await sync.stop();
  await reporter.close();
  await database.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
