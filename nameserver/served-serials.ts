// Reports which serial this nameserver serves for each zone (table "ServedZone"), batched:
// reports collect for a few milliseconds and go out as one statement. The panel compares them
// with the committed serial to show "live on nameserver". Failures (database away) are
// retried with the next batch; a resync after reconnecting reports every zone again anyway.
//
// It also keeps this nameserver's heartbeat (NameserverInstance.lastSeenAt) fresh, so the
// panel waits for running nameservers only; a clean shutdown removes the instance at once.
import pg from "pg";
import { NAMESERVER_HEARTBEAT_SECONDS } from "../lib/zone/served.ts";

export class ServedSerialReporter {
  private readonly pool: pg.Pool;
  private pending = new Map<string, number | null>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(databaseUrl: string, private readonly nameserverId: string, private readonly delayMs = 5) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    this.pool.on("error", () => {});
  }

  /** Announces this instance and keeps its heartbeat going (failures: retried on the next beat). */
  startHeartbeat() {
    const beat = () =>
      this.pool
        .query(
          `INSERT INTO "NameserverInstance" (id, "startedAt", "lastSeenAt") VALUES ($1, now(), now())
           ON CONFLICT (id) DO UPDATE SET "lastSeenAt" = now()`,
          [this.nameserverId],
        )
        .catch(() => {});
    void beat();
    this.heartbeat = setInterval(beat, NAMESERVER_HEARTBEAT_SECONDS * 1000);
    this.heartbeat.unref();
  }

  report(zoneId: string, serial: number | null) {
    this.pending.set(zoneId, serial);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flushing = this.flushing.then(() => this.flush());
    }, this.delayMs);
  }

  private async flush() {
    const batch = this.pending;
    this.pending = new Map();
    const served = [...batch].filter(([, s]) => s !== null) as [string, number][];
    const gone = [...batch].filter(([, s]) => s === null).map(([id]) => id);
    try {
      if (served.length) {
        await this.pool.query(
          `INSERT INTO "ServedZone" ("nameserverId", "zoneId", serial, "updatedAt")
           SELECT $1, z.id, z.serial, now() FROM unnest($2::text[], $3::bigint[]) AS z(id, serial)
           WHERE EXISTS (SELECT 1 FROM "Zone" WHERE "Zone".id = z.id)
           ON CONFLICT ("nameserverId", "zoneId") DO UPDATE SET serial = EXCLUDED.serial, "updatedAt" = now()`,
          [this.nameserverId, served.map(([id]) => id), served.map(([, s]) => s)],
        );
      }
      if (gone.length) {
        await this.pool.query(`DELETE FROM "ServedZone" WHERE "nameserverId" = $1 AND "zoneId" = ANY($2::text[])`, [this.nameserverId, gone]);
      }
    } catch {
      for (const [id, s] of batch) if (!this.pending.has(id)) this.pending.set(id, s);
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.flushing = this.flushing.then(() => this.flush());
      }, 1000);
    }
  }

  async close() {
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.flushing;
    if (this.heartbeat) await this.pool.query(`DELETE FROM "NameserverInstance" WHERE id = $1`, [this.nameserverId]).catch(() => {});
    await this.pool.end().catch(() => {});
  }
}
