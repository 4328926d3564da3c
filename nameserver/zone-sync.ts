// Keeps the in-memory zones equal to the served zones in the database.
//
//   start:      load every served zone, then LISTEN zone_changed.
//   NOTIFY:     "<zone id>:<serial>" -> follow that zone's journal from the serial we serve:
//               each change set is applied to the index in place, as the delta it is, in
//               serial order (nameserver/zone-loader.ts readJournalStep). A gap (no journal
//               entry for our serial while the database has moved on), a change set too big to
//               apply in place, or a delta that does not fit what we hold, falls back to loading
//               the zone whole. Serial 0 ("what is served changed", not the records: a tenant
//               suspended, a zone removed, a delegation switched) always loads it whole. Work on
//               one zone never overlaps; a NOTIFY that arrives meanwhile triggers one more round.
//   whole loads: streamed with COPY in slices that yield to the queries between them, built
//               aside and swapped in complete (zone-loader.ts loadZones): answering never stalls.
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
//   reporting:  after a zone is (re)loaded or changed, upsert ServedZone(nameserver, zone,
//               serial), which the panel reads to show "live on nameserver".
//   ordering:   a resync and a reload of one zone can overlap and finish in either order; a
//               result is applied only if no load that started later was applied first
//               (nameserver/load-order.ts). A delta applies only to the serial it was made to.
import pg from "pg";
import { createDb, type Db } from "../lib/db/client.ts";
import { ZONE_CHANGED_CHANNEL } from "../lib/zone/change-set.ts";
import type { Prisma } from "../lib/generated/prisma/client.ts";
import { serialGreaterThan } from "../lib/zone/serial.ts";
import { handoverEnds, servedZoneWhere } from "../lib/zone/served.ts";
import { LoadOrder } from "./load-order.ts";
import type { ServedZones } from "./views.ts";
import { loadZones, readJournalStep, type LoadedZone } from "./zone-loader.ts";
import { DeltaError } from "./zone-index.ts";

export interface ZoneSyncOptions {
  databaseUrl: string;
  nameserverId: string;
  resyncIntervalMs?: number;
  log?: (msg: string) => void;
}

/** What decides where and until when a zone is served, besides its records. */
const PLACEMENT = {
  id: true,
  serial: true,
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

/** The served zones among `where`, with where and until when each is served, at `now`. */
function listServedZones(db: Db, where: Prisma.ZoneWhereInput, now: Date): Promise<PlacementRow[]> {
  return db.zone.findMany({ where: { AND: [servedZoneWhere(now), where] }, select: PLACEMENT });
}

/** How a zone is brought up to date: along its journal, or loaded whole. */
type SyncMode = "follow" | "whole";

/** setTimeout's longest delay (about 24.8 days); a later end is re-armed when the timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class ZoneSync {
  private readonly db: Db;
  /** Plain pg for whole loads (COPY) and journal reads: see zone-loader.ts. */
  private readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private connected = false;
  private stopped = false;
  private backoffMs = 100;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;
  private readonly syncing = new Map<string, Promise<void>>();
  /** Zones with a NOTIFY that came during their sync: one more round, whole if any asked for it. */
  private readonly again = new Map<string, SyncMode>();
  /** The last serial announced per zone: where following the journal must arrive. */
  private readonly announced = new Map<string, number>();
  /** Served zones known to be behind their announced serial, since when (epoch ms): serialLag(). */
  private readonly behindSince = new Map<string, number>();
  private readonly order = new LoadOrder();
  /** Zones served only because of a hand-over: when it ends, and the timer that reloads them then. */
  private readonly handovers = new Map<string, { ends: number; timer: NodeJS.Timeout }>();
  private readonly log: (msg: string) => void;
  /** Called after each zone (re)load with the zone id and the serial now served. */
  onZoneLoaded: (zoneId: string, serial: number | null) => void = () => {};

  constructor(private readonly zones: ServedZones, private readonly opts: ZoneSyncOptions) {
    this.db = createDb(opts.databaseUrl, 4);
    this.pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 3 });
    this.pool.on("error", () => {}); // an idle client lost with the database: the next query reconnects
    this.log = opts.log ?? (() => {});
  }

  get isConnected() {
    return this.connected;
  }

  /**
   * Served zones whose newest known serial (announced by NOTIFY, or found by a resync) is ahead
   * of the one served, and how long the oldest of them has been behind. For metrics: read at
   * scrape time; what caught up (or went) since is forgotten here.
   */
  serialLag(now = Date.now()): { zones: number; oldestSeconds: number } {
    let zones = 0;
    let oldest = now;
    for (const [id, since] of this.behindSince) {
      const served = this.zones.byId(id)?.serial;
      const announced = this.announced.get(id);
      if (served === undefined || announced === undefined || !serialGreaterThan(announced, served)) {
        this.behindSince.delete(id);
        continue;
      }
      zones++;
      if (since < oldest) oldest = since;
    }
    return { zones, oldestSeconds: (now - oldest) / 1000 };
  }

  /** The zone's served serial moved: once it is at (or past) the announced one, it no longer lags. */
  private servedMoved(zoneId: string, serial: number) {
    const announced = this.announced.get(zoneId);
    if (announced === undefined || !serialGreaterThan(announced, serial)) this.behindSince.delete(zoneId);
  }

  /** A newer serial is known for a zone: if we serve it behind that, it lags from now on. */
  private noteAnnounced(zoneId: string, serial: number) {
    this.announced.set(zoneId, serial);
    const served = this.zones.byId(zoneId)?.serial;
    if (served !== undefined && serialGreaterThan(serial, served) && !this.behindSince.has(zoneId)) this.behindSince.set(zoneId, Date.now());
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
    await Promise.allSettled(this.syncing.values());
    await this.db.$disconnect();
    await this.pool.end().catch(() => {});
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
    const current = await listServedZones(this.db, {}, now);
    const wanted = new Set(current.map((z) => z.id));
    for (const id of this.zones.ids()) {
      if (!wanted.has(id) && this.order.admit(id, listed)) this.drop(id);
    }
    const behind: string[] = [];
    const stale = current.filter((z) => {
      const { registry, handoverEnds } = placement(z, now);
      const placed = this.zones.isRegistry(z.id) === registry && (this.handovers.get(z.id)?.ends ?? null) === handoverEnds;
      const serial = Number(z.serial);
      // Serving what the database holds: not behind, whatever was announced (serialLag()).
      if (this.zones.byId(z.id)?.serial === serial) this.behindSince.delete(z.id);
      if (placed && this.zones.byId(z.id)?.serial !== serial) {
        // Held and placed as before, only behind (a NOTIFY lost while we were away): follow its journal.
        const announced = this.announced.get(z.id);
        if (announced === undefined || serialGreaterThan(serial, announced)) this.noteAnnounced(z.id, serial);
        behind.push(z.id);
        return false;
      }
      return !placed;
    });
    await Promise.all(behind.map((id) => this.sync(id, "follow")));
    // A follow that failed (the database went again) is only logged: load those whole here, so
    // a failure fails the resync, and the reconnect logic tries again.
    const listedSerial = new Map(current.map((z) => [z.id, Number(z.serial)]));
    const stillBehind = behind.filter((id) => {
      const serial = this.zones.byId(id)?.serial;
      return serial !== undefined && serial !== listedSerial.get(id) && !serialGreaterThan(serial, listedSerial.get(id)!);
    });
    stale.push(...current.filter((z) => stillBehind.includes(z.id)));
    // Load in batches: one snapshot and one COPY per batch rather than per zone.
    for (let i = 0; i < stale.length; i += 500) {
      const batch = stale.slice(i, i + 500);
      const ticket = this.order.ticket();
      const loadedAt = new Date();
      const rows = new Map((await listServedZones(this.db, { id: { in: batch.map((z) => z.id) } }, loadedAt)).map((row) => [row.id, row]));
      const loaded = await loadZones(this.pool, [...rows.keys()], (id) => this.zones.byId(id));
      for (const { id } of batch) {
        if (!this.order.admit(id, ticket)) continue; // a load that started later got there first
        const row = rows.get(id);
        const zone = loaded.get(id);
        if (row && zone) this.serve(id, zone, placement(row, loadedAt));
        else if (this.zones.byId(id)) this.drop(id); // no longer served since it was listed (a hand-over ended)
      }
    }
  }

  /**
   * Serves a freshly loaded zone in the views that accept it (a new index, or the differences
   * applied to the one we serve); arms its hand-over timer. False when the differences no longer
   * fit (the index changed since they were found): the zone is loaded again.
   */
  private serve(zoneId: string, loaded: LoadedZone, { registry, handoverEnds }: Placement): boolean {
    const { zone } = loaded;
    if (loaded.kind === "compared") {
      if (this.zones.byId(zoneId) !== zone || zone.revision !== loaded.revision) {
        void this.sync(zoneId, "whole");
        return false;
      }
      zone.applyDelta(loaded.delta, loaded.serial, loaded.soa);
      this.zones.changed(zoneId);
    }
    this.zones.put(zoneId, zone, registry);
    this.armHandover(zoneId, handoverEnds);
    this.servedMoved(zoneId, zone.serial);
    this.onZoneLoaded(zoneId, zone.serial);
    return true;
  }

  /** Stops serving a zone. */
  private drop(zoneId: string) {
    this.announced.delete(zoneId);
    this.behindSince.delete(zoneId);
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
    if (!Number.isFinite(serial) || serial === 0) {
      void this.sync(zoneId, "whole");
      return;
    }
    this.noteAnnounced(zoneId, serial);
    if (this.zones.byId(zoneId)?.serial === serial) return;
    void this.sync(zoneId, "follow");
  }

  /** Loads one zone whole (or drops it when it is no longer served). */
  reload(zoneId: string): Promise<void> {
    return this.sync(zoneId, "whole");
  }

  /** Brings one zone up to date; never two syncs of the same zone at once. */
  private sync(zoneId: string, mode: SyncMode): Promise<void> {
    const running = this.syncing.get(zoneId);
    if (running) {
      if (this.again.get(zoneId) !== "whole") this.again.set(zoneId, mode);
      return running;
    }
    const task = (async () => {
      try {
        const followed = mode === "follow" && (await this.followJournal(zoneId));
        if (!followed) await this.loadWhole(zoneId);
      } catch (e) {
        this.log(`sync of zone ${zoneId} failed: ${(e as Error).message}`);
      } finally {
        this.syncing.delete(zoneId);
        const next = this.again.get(zoneId);
        if (next) {
          this.again.delete(zoneId);
          void this.sync(zoneId, next);
        }
      }
    })();
    this.syncing.set(zoneId, task);
    return task;
  }

  /**
   * Applies the zone's journal from the serial we serve, one change set at a time. True when
   * that brought the zone to the last announced serial; false when it must be loaded whole (we
   * do not hold the zone, a change set is too big to apply in place, a delta does not fit, or
   * the journal has no way from our serial to the announced one).
   */
  private async followJournal(zoneId: string): Promise<boolean> {
    for (;;) {
      const zone = this.zones.byId(zoneId);
      if (!zone) return false;
      // A ticket per step, taken before reading: a whole load that read the database before
      // this step (an older state) can then no longer replace what the step applies.
      const ticket = this.order.ticket();
      const step = await readJournalStep(this.pool, zoneId, zone.serial);
      if (step.kind === "none") {
        // Nothing after our serial: done if we are at (or past) what was announced; else a gap.
        const announced = this.announced.get(zoneId);
        return announced === undefined || zone.serial === announced || serialGreaterThan(zone.serial, announced);
      }
      if (step.kind === "too-big") return false;
      // Read while the index could change (a whole load finishing): apply only to the serial it
      // was made to, and only if no load that read the database later was applied meanwhile.
      if (this.zones.byId(zoneId) !== zone || zone.serial !== step.oldSerial || !this.order.admit(zoneId, ticket)) continue;
      try {
        zone.applyDelta(step.delta, step.newSerial, step.soa);
      } catch (e) {
        if (!(e instanceof DeltaError)) throw e;
        this.log(`zone ${zone.name}: ${e.message}; loading it whole`);
        return false;
      }
      this.zones.changed(zoneId);
      this.servedMoved(zoneId, zone.serial);
      this.onZoneLoaded(zoneId, zone.serial);
    }
  }

  private async loadWhole(zoneId: string): Promise<void> {
    const ticket = this.order.ticket();
    const loadedAt = new Date();
    const started = performance.now();
    const [row] = await listServedZones(this.db, { id: zoneId }, loadedAt);
    const loaded = row ? (await loadZones(this.pool, [zoneId], (id) => this.zones.byId(id))).get(zoneId) : undefined;
    // Skipped when a load that started after this one was applied already (it is as new).
    if (!this.order.admit(zoneId, ticket)) return;
    if (row && loaded) {
      if (!this.serve(zoneId, loaded, placement(row, loadedAt))) return;
      // Worth a line: it is the start, a placement change, or a fallback from following the journal.
      const { zone } = loaded;
      const ms = Math.round(performance.now() - started);
      const how = loaded.kind === "compared" ? `: compared with what was served, ${loaded.delta.added.length} added, ${loaded.delta.removed.length} removed` : "";
      this.log(`zone ${zone.name}: loaded whole at serial ${zone.serial} (${zone.recordCount} records, ${ms} ms)${how}`);
    } else if (this.zones.byId(zoneId)) this.drop(zoneId);
  }
}
