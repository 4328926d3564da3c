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
//   views:      each loaded zone goes into the views that accept it (nameserver/views.ts): the
//               row says whether it is a registry zone (it has a RegistryTld).
//   hand-over:  the served rule has a time in it (lib/zone/served.ts): a zone whose domain was
//               switched away from our nameservers is served until Delegation.hostedUntil.
//               Every evaluation uses the time it runs at, and a zone loaded only because of
//               a hand-over gets a timer that reloads it at hostedUntil, so it stops being
//               served then, not at the next periodic resync (one timer per zone, replaced on
//               each load, unref'd, cleared on removal and on stop).
//   reporting:  after a zone is (re)loaded, upsert ServedZone(nameserver, zone, serial), which
//               the panel reads to show "live on nameserver".
//   ordering:   a resync and a reload of one zone can overlap and finish in either order; a
//               result is applied only if no load that started later was applied first
//               (nameserver/load-order.ts).
import pg from "pg";
import { createDb, type Db } from "../lib/db/client.ts";
import { ZONE_CHANGED_CHANNEL } from "../lib/zone/change-set.ts";
import type { Prisma } from "../lib/generated/prisma/client.ts";
import { handoverEnds, servedZoneWhere } from "../lib/zone/served.ts";
import { LoadOrder } from "./load-order.ts";
import type { ServedZones } from "./views.ts";
import { ZoneIndex } from "./zone-index.ts";

export interface ZoneSyncOptions {
  databaseUrl: string;
  nameserverId: string;
  resyncIntervalMs?: number;
  log?: (msg: string) => void;
}

/** What decides where and until when a zone is served, besides its records. */
const PLACEMENT = {
  registryTld: { select: { name: true } },
  domain: { select: { delegation: { select: { mode: true, hostedUntil: true } }, registration: { select: { status: true } } } },
} as const satisfies Prisma.ZoneSelect;

type PlacementRow = Prisma.ZoneGetPayload<{ select: typeof PLACEMENT }>;

interface Placement {
  registry: boolean;
  /** Epoch ms at which the zone stops being served (a hand-over ends); null: no end in sight. */
  handoverEnds: number | null;
}

function placement(row: PlacementRow, now: Date): Placement {
  const ends = handoverEnds(row.domain?.delegation ?? null, row.domain?.registration?.status ?? null, now);
  return { registry: row.registryTld !== null, handoverEnds: ends?.getTime() ?? null };
}

type ZoneRow = Awaited<ReturnType<typeof loadZoneRows>>[number];

/** The served zones among `where`, with the served rule evaluated at `now`. */
async function loadZoneRows(db: Db, where: Prisma.ZoneWhereInput, now: Date) {
  return db.zone.findMany({
    where: { AND: [servedZoneWhere(now), where] },
    select: {
      id: true, name: true, serial: true, soaTtl: true, primaryNs: true, hostmaster: true,
      refresh: true, retry: true, expire: true, minimum: true,
      records: { select: { name: true, type: true, ttl: true, content: true } },
      ...PLACEMENT,
    },
  });
}

/** setTimeout's longest delay (about 24.8 days); a later end is re-armed when the timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

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
  /** Zones served only because of a hand-over: when it ends, and the timer that reloads them then. */
  private readonly handovers = new Map<string, { ends: number; timer: NodeJS.Timeout }>();
  private readonly log: (msg: string) => void;
  /** Called after each zone (re)load with the zone id and the serial now served. */
  onZoneLoaded: (zoneId: string, serial: number | null) => void = () => {};

  constructor(private readonly zones: ServedZones, private readonly opts: ZoneSyncOptions) {
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
    for (const { timer } of this.handovers.values()) clearTimeout(timer);
    this.handovers.clear();
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

  /**
   * Brings every zone in line with the database: by serial, and by placement (a zone that
   * became a registry zone, or whose hand-over end moved, without a new serial).
   */
  async resync(): Promise<void> {
    const listed = this.order.ticket();
    const now = new Date();
    const current = await this.db.zone.findMany({ where: servedZoneWhere(now), select: { id: true, serial: true, ...PLACEMENT } });
    const wanted = new Set(current.map((z) => z.id));
    for (const id of this.zones.ids()) {
      if (!wanted.has(id) && this.order.admit(id, listed)) this.drop(id);
    }
    const stale = current
      .filter((z) => {
        const { registry, handoverEnds } = placement(z, now);
        return (
          this.zones.byId(z.id)?.serial !== Number(z.serial) ||
          this.zones.isRegistry(z.id) !== registry ||
          (this.handovers.get(z.id)?.ends ?? null) !== handoverEnds
        );
      })
      .map((z) => z.id);
    // Load in batches: one query per batch rather than one per zone.
    for (let i = 0; i < stale.length; i += 500) {
      const ticket = this.order.ticket();
      const loadedAt = new Date();
      const batch = stale.slice(i, i + 500);
      const rows = new Map((await loadZoneRows(this.db, { id: { in: batch } }, loadedAt)).map((row) => [row.id, row]));
      for (const id of batch) {
        if (!this.order.admit(id, ticket)) continue; // a reload that started later got there first
        const row = rows.get(id);
        if (row) this.apply(row, loadedAt);
        else if (this.zones.byId(id)) this.drop(id); // no longer served since it was listed (a hand-over ended)
      }
    }
  }

  /** Serves a freshly loaded zone in the views that accept it; arms its hand-over timer. */
  private apply(row: ZoneRow, loadedAt: Date) {
    const { registry, handoverEnds } = placement(row, loadedAt);
    this.zones.put(row.id, buildIndex(row), registry);
    this.armHandover(row.id, handoverEnds);
    this.onZoneLoaded(row.id, Number(row.serial));
  }

  /** Stops serving a zone. */
  private drop(zoneId: string) {
    this.armHandover(zoneId, null);
    this.zones.remove(zoneId);
    this.onZoneLoaded(zoneId, null);
  }

  /**
   * One timer per zone served only because of a hand-over: at its end, reload the zone, which
   * then finds it no longer served (or served for another reason, or with a new end: re-armed).
   * If the database is away then, the zone stays in memory like every other, and the resync
   * after reconnecting drops it.
   */
  private armHandover(zoneId: string, ends: number | null) {
    const previous = this.handovers.get(zoneId);
    if (previous) clearTimeout(previous.timer);
    if (ends === null || this.stopped) {
      this.handovers.delete(zoneId);
      return;
    }
    const timer = setTimeout(() => {
      this.handovers.delete(zoneId);
      void this.reload(zoneId);
    }, Math.min(Math.max(ends - Date.now(), 0), MAX_TIMER_MS));
    timer.unref();
    this.handovers.set(zoneId, { ends, timer });
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
        const loadedAt = new Date();
        const [row] = await loadZoneRows(this.db, { id: zoneId }, loadedAt);
        // Skipped when a load that started after this one was applied already (it is as new).
        if (!this.order.admit(zoneId, ticket)) return;
        if (row) this.apply(row, loadedAt);
        else if (this.zones.byId(zoneId)) this.drop(zoneId);
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
