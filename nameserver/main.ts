// The nameserver process: npm run nameserver (npm start runs it beside the panel).
// Configuration: DATABASE_URL (or the embedded database), DNS_ADDRESS, DNS_PORT, NAMESERVER_ID,
// DNS_UDP_IO (batch | dgram).
import os from "node:os";
import { openDatabase } from "../lib/db/bootstrap.ts";
import { AnswerCache } from "./answer-cache.ts";
import { ServedSerialReporter } from "./served-serials.ts";
import { listen } from "./transport.ts";
import { ZoneSet } from "./zone-set.ts";
import { ZoneSync } from "./zone-sync.ts";

const log = (msg: string) => console.log(`[nameserver] ${msg}`);
const address = process.env.DNS_ADDRESS ?? "127.0.0.1";
const port = Number(process.env.DNS_PORT ?? 5300);
const nameserverId = process.env.NAMESERVER_ID ?? `${os.hostname()}:${port}`;

const database = await openDatabase({ migrate: !process.env.DATABASE_URL });
const zones = new ZoneSet();
const cache = new AnswerCache(zones, Number(process.env.DNS_CACHE_ENTRIES ?? 100_000));
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
const listening = await listen({ zones, cache }, { address, port, log, udpIo, tcpIdleMs: Number(process.env.DNS_TCP_IDLE_MS ?? 10_000) });
log(`serving ${zones.size} zones on ${address}:${listening.udpPort} (udp, ${listening.udpIo === "batch" ? "batched recvmmsg/sendmmsg" : "node:dgram"}) and ${address}:${listening.tcpPort} (tcp), loaded in ${Date.now() - started} ms`);
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
