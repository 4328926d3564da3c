// Keeps the in-memory ZoneSet equal to the served zones in the database.
//
//   start:      load every served zone, then LISTEN zone_changed.
//   NOTIFY:     "<zone id>:<serial>" -> reload that zone if we serve an older serial (or drop
//               it when it is no longer served). Reloads of one zone never overlap; a NOTIFY
//               that arrives during a reload triggers one more.
//   connection lost: keep serving what is in memory; reconnect with exponential backoff; then
//               resynchronise: compare every served zone's serial with ours and reload the
//               ones that moved (NOTIFYs sent while we were away are lost, so never rely on
//               them alone). The same comparison also runs periodically as a safety net.
//   reporting:  after a zone is (re)loaded, upsert ServedZone(nameserver, zone, serial), which
//               the panel reads to show "live on nameserver".
//   ordering:   a resync and a reload of one zone can overlap and finish in either order; a
//               result is applied only if no load that started later was applied first
//               (nameserver/load-order.ts).
import pg from "pg";
import { createDb, type Db } from "../lib/db/client.ts";
import { ZONE_CHANGED_CHANNEL } from "../lib/zone/change-set.ts";
import { servedZoneWhere } from "../lib/zone/served.ts";
import { LoadOrder } from "./load-order.ts";
import { ZoneIndex } from "./zone-index.ts";
import type { ZoneSet } from "./zone-set.ts";

export interface ZoneSyncOptions {
  databaseUrl: string;
  nameserverId: string;
  resyncIntervalMs?: number;
  log?: (msg: string) => void;
}

type ZoneRow = Awaited<ReturnType<typeof loadZoneRows>>[number];

async function loadZoneRows(db: Db, where: object) {
  return db.zone.findMany({
    where: { AND: [servedZoneWhere(), where] },
    select: {
      id: true, name: true, serial: true, soaTtl: true, primaryNs: true, hostmaster: true,
      refresh: true, retry: true, expire: true, minimum: true,
      records: { select: { name: true, type: true, ttl: true, content: true } },
    },
  });
}

function buildIndex(row: ZoneRow): ZoneIndex {
  return new ZoneIndex({ ...row, serial: Number(row.serial) }, row.records);
}

export class ZoneSync {
  private readonly db: Db;
  private listener: pg.Client | null = null;
  private connected = false;
  private stopped = false;
  private backoffMs = 100;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;
  private readonly reloading = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly order = new LoadOrder();
  private readonly log: (msg: string) => void;
  /** Called after each zone (re)load with the zone id and the serial now served. */
  onZoneLoaded: (zoneId: string, serial: number | null) => void = () => {};

  constructor(private readonly zones: ZoneSet, private readonly opts: ZoneSyncOptions) {
    this.db = createDb(opts.databaseUrl, 4);
    this.log = opts.log ?? (() => {});
  }

  get isConnected() {
    return this.connected;
  }

  /** Initial load, then follow changes. Resolves once zones are loaded and LISTEN is active. */
  async start(): Promise<void> {
    await this.connect();
    const interval = this.opts.resyncIntervalMs ?? 30_000;
    if (interval > 0) {
      this.resyncTimer = setInterval(() => {
        if (this.connected) this.resync().catch((e) => this.log(`periodic resync failed: ${e.message}`));
      }, interval);
      this.resyncTimer.unref();
    }
  }

  async stop() {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.listener?.end().catch(() => {});
    await Promise.allSettled(this.reloading.values());
    await this.db.$disconnect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.opts.databaseUrl, keepAlive: true });
    client.on("notification", (msg) => this.onNotification(msg.payload ?? ""));
    client.on("error", (e) => this.lost(client, e.message));
    client.on("end", () => this.lost(client, "connection ended"));
    await client.connect();
    // LISTEN before loading: a change committed during the load is then not missed.
    await client.query(`LISTEN ${ZONE_CHANGED_CHANNEL}`);
    this.listener = client;
    await this.resync();
    this.connected = true;
    this.backoffMs = 100;
  }

  private lost(client: pg.Client, why: string) {
    if (this.listener !== client || this.stopped) return;
    this.listener = null;
    this.connected = false;
    client.removeAllListeners("end");
    client.end().catch(() => {});
    this.log(`database connection lost (${why}); serving ${this.zones.size} zones from memory`);
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = null;
      try {
        await this.connect();
        this.log(`database connection restored; ${this.zones.size} zones in sync`);
      } catch (e) {
        const stale = this.listener;
        this.listener = null;
        stale?.end().catch(() => {});
        this.log(`reconnect failed (${(e as Error).message}); retrying in ${this.backoffMs} ms`);
        this.scheduleReconnect();
      }
    }, delay);
  }

  /** Brings every zone in line with the database by serial. */
  async resync(): Promise<void> {
    const listed = this.order.ticket();
    const current = await this.db.zone.findMany({ where: servedZoneWhere(), select: { id: true, serial: true } });
    const wanted = new Map(current.map((z) => [z.id, Number(z.serial)]));
    for (const id of this.zones.ids()) {
      if (!wanted.has(id) && this.order.admit(id, listed)) {
        this.zones.remove(id);
        this.onZoneLoaded(id, null);
      }
    }
    const stale = current.filter((z) => this.zones.byId(z.id)?.serial !== Number(z.serial)).map((z) => z.id);
    // Load in batches: one query per batch rather than one per zone.
    for (let i = 0; i < stale.length; i += 500) {
      const ticket = this.order.ticket();
      const rows = await loadZoneRows(this.db, { id: { in: stale.slice(i, i + 500) } });
      for (const row of rows) {
        if (!this.order.admit(row.id, ticket)) continue; // a reload that started later got there first
        this.zones.put(row.id, buildIndex(row));
        this.onZoneLoaded(row.id, Number(row.serial));
      }
    }
  }

  private onNotification(payload: string) {
    const [zoneId, serialText] = payload.split(":");
    if (!zoneId) return;
    const serial = Number(serialText);
    const have = this.zones.byId(zoneId);
    if (have && Number.isFinite(serial) && have.serial === serial) return;
    this.reload(zoneId);
  }

  /** Reloads one zone; never two reloads of the same zone at once. */
  reload(zoneId: string): Promise<void> {
    const running = this.reloading.get(zoneId);
    if (running) {
      this.again.add(zoneId);
      return running;
    }
    const task = (async () => {
      try {
        const ticket = this.order.ticket();
        const [row] = await loadZoneRows(this.db, { id: zoneId });
        // Skipped when a load that started after this one was applied already (it is as new).
        if (!this.order.admit(zoneId, ticket)) return;
        if (row) {
          this.zones.put(row.id, buildIndex(row));
          this.onZoneLoaded(row.id, Number(row.serial));
        } else if (this.zones.byId(zoneId)) {
          this.zones.remove(zoneId);
          this.onZoneLoaded(zoneId, null);
        }
      } catch (e) {
        this.log(`reload of zone ${zoneId} failed: ${(e as Error).message}`);
      } finally {
        this.reloading.delete(zoneId);
        if (this.again.delete(zoneId)) void this.reload(zoneId);
      }
    })();
    this.reloading.set(zoneId, task);
    return task;
  }
}
