// Per-minute rollups of the query counters (query-stats.ts) in PostgreSQL, for the panel's
// charts: QueryStat (minute, nameserver, zone, qtype, rcode, transport, count) and QueryNameStat
// (the most asked names of each zone that minute, TOP_NAMES_PER_MINUTE at most).
//
// Once per QUERY_STATS_FLUSH_MS (60 s by default, on the minute), the differences since the last
// rollup are taken from the counters (a walk over the cells: no query waits on it) and added to
// the rows of the minute the period began in (INSERT ... ON CONFLICT DO UPDATE SET count =
// count + excluded.count, so several nameservers, or several periods of one minute, add up).
// Off the answering path: the writes are asynchronous, and a failure is only logged.
//
// When the database is away the rollups wait in memory and go out with the next write that
// works; beyond MAX_PENDING_ROWS the oldest minutes are given up (counted in
// nameserver_query_stats_dropped_rows_total), so an outage of any length costs bounded memory.
// Rows older than METRICS_RETENTION_DAYS (14) are deleted, at most once an hour. A clean
// shutdown writes what was counted since the last rollup.
import pg from "pg";
import type { QueryCounters } from "./query-stats.ts";

export const TOP_NAMES_PER_MINUTE = 10;
/** Rows (QueryStat and QueryNameStat) held for a database that is away: some 20-40 MB at most. */
export const MAX_PENDING_ROWS = 200_000;
const MINUTE_MS = 60_000;
const RETENTION_EVERY_MS = 60 * MINUTE_MS;
/** How long a shutdown waits for the last rollup to be written. */
const CLOSE_WAIT_MS = 2_000;

export interface RollupSettings {
  /** How often counts are written (QUERY_STATS_FLUSH_MS; tests use a short one). */
  flushMs: number;
  /** Rows older than this many days are deleted (METRICS_RETENTION_DAYS). */
  retentionDays: number;
}

export function rollupSettings(env: NodeJS.ProcessEnv = process.env): RollupSettings {
  const positive = (value: string | undefined, fallback: number, min: number, max: number) => {
    const n = Number(value);
    return value !== undefined && value.trim() !== "" && Number.isFinite(n) && n > 0 ? Math.min(max, Math.max(min, n)) : fallback;
  };
  return {
    flushMs: Math.round(positive(env.QUERY_STATS_FLUSH_MS, MINUTE_MS, 100, 60 * MINUTE_MS)),
    retentionDays: positive(env.METRICS_RETENTION_DAYS, 14, 1 / 24, 3660),
  };
}

interface StatRow {
  zone: string;
  qtype: string;
  rcode: string;
  transport: "udp" | "tcp";
  count: number;
}

interface NameRow {
  zone: string;
  name: string;
  count: number;
}

/** One minute's rows, keyed so that periods of the same minute add up into one row each. */
class MinuteRollup {
  readonly stats = new Map<string, StatRow>();
  readonly names = new Map<string, NameRow>();

  get rows(): number {
    return this.stats.size + this.names.size;
  }

  addStat(row: StatRow) {
    const key = `${row.zone}\0${row.qtype}\0${row.rcode}\0${row.transport}`;
    const held = this.stats.get(key);
    if (held) held.count += row.count;
    else this.stats.set(key, { ...row });
  }

  addName(row: NameRow) {
    const key = `${row.zone}\0${row.name}`;
    const held = this.names.get(key);
    if (held) held.count += row.count;
    else this.names.set(key, { ...row });
  }

  addAll(other: MinuteRollup) {
    for (const row of other.stats.values()) this.addStat(row);
    for (const row of other.names.values()) this.addName(row);
  }
}

export class QueryStatsRollup {
  private readonly pool: pg.Pool;
  /** By minute (epoch ms), oldest first: taken but not written yet. */
  private pending = new Map<number, MinuteRollup>();
  private periodStart = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private lastRetention = 0;
  private failing = false;
  private closed = false;
  /** Rows given up while the database was away (MAX_PENDING_ROWS). */
  droppedRows = 0;

  constructor(
    private readonly counters: QueryCounters,
    databaseUrl: string,
    private readonly nameserverId: string,
    private readonly settings: RollupSettings,
    private readonly log: (msg: string) => void = () => {},
  ) {
    // One connection; a database that does not answer must not hold a write (or the shutdown) long.
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: 5_000, query_timeout: 30_000 });
    this.pool.on("error", () => {}); // an idle connection lost with the database: the next write reconnects
  }

  get pendingMinutes(): number {
    return this.pending.size;
  }

  /** Rolls up every flushMs, on multiples of it (on the minute with the default). */
  start() {
    const schedule = () => {
      const { flushMs } = this.settings;
      this.timer = setTimeout(() => {
        this.take();
        void this.write();
        schedule();
      }, flushMs - (Date.now() % flushMs) + 1);
      this.timer.unref();
    };
    schedule();
  }

  /**
   * Moves what was counted since the last rollup into `pending`, under the minute the period
   * began in: the cells' differences, and each zone's top names (whose summaries start over).
   */
  take(now = Date.now()) {
    const minute = Math.floor(this.periodStart / MINUTE_MS) * MINUTE_MS;
    this.periodStart = now;
    const rollup = new MinuteRollup();
    for (const zone of this.counters.zones.values()) {
      for (const cell of zone.cells.values()) {
        if (cell.udp !== cell.rolledUdp) rollup.addStat({ zone: cell.zone, qtype: cell.qtype, rcode: cell.rcode, transport: "udp", count: cell.udp - cell.rolledUdp });
        if (cell.tcp !== cell.rolledTcp) rollup.addStat({ zone: cell.zone, qtype: cell.qtype, rcode: cell.rcode, transport: "tcp", count: cell.tcp - cell.rolledTcp });
        cell.rolledUdp = cell.udp;
        cell.rolledTcp = cell.tcp;
      }
      if (zone.topNames !== null && zone.topNames.size > 0) {
        for (const { name, count } of zone.topNames.top(TOP_NAMES_PER_MINUTE)) rollup.addName({ zone: zone.zone, name, count });
        zone.topNames.clear();
      }
    }
    if (rollup.rows > 0) this.keep(minute, rollup);
  }

  /** Adds a minute's rows to pending; beyond MAX_PENDING_ROWS gives up the oldest minutes. */
  private keep(minute: number, rollup: MinuteRollup) {
    const held = this.pending.get(minute);
    if (held) held.addAll(rollup);
    else {
      this.pending.set(minute, rollup);
      // A minute written back after a failed write may be older than those taken meanwhile.
      if ([...this.pending.keys()].some((m) => m > minute)) this.pending = new Map([...this.pending].sort(([a], [b]) => a - b));
    }
    let rows = 0;
    for (const r of this.pending.values()) rows += r.rows;
    for (const [oldest, r] of this.pending) {
      if (rows <= MAX_PENDING_ROWS) break;
      this.pending.delete(oldest);
      rows -= r.rows;
      this.droppedRows += r.rows;
    }
  }

  /** Writes what is pending (one write at a time), then the retention delete when it is due. */
  write(): Promise<void> {
    if (this.writing) return this.writing;
    this.writing = (async () => {
      const batch = this.pending;
      this.pending = new Map();
      try {
        if (batch.size > 0) await this.insert(batch);
        if (this.failing) this.log(`query stats: database back, rollups written`);
        this.failing = false;
      } catch (e) {
        for (const [minute, rollup] of batch) this.keep(minute, rollup);
        if (!this.failing) this.log(`query stats: cannot write rollups (${(e as Error).message}); keeping them to write later`);
        this.failing = true;
        return;
      }
      if (Date.now() - this.lastRetention >= RETENTION_EVERY_MS) {
        try {
          await this.deleteExpired();
          this.lastRetention = Date.now();
        } catch (e) {
          this.log(`query stats: retention delete failed (${(e as Error).message}); trying again at the next rollup`);
        }
      }
    })().finally(() => {
      this.writing = null;
    });
    return this.writing;
  }

  private async insert(batch: Map<number, MinuteRollup>) {
    const stats: { minute: number[]; zone: string[]; qtype: string[]; rcode: string[]; transport: string[]; count: number[] } =
      { minute: [], zone: [], qtype: [], rcode: [], transport: [], count: [] };
    const names: { minute: number[]; zone: string[]; name: string[]; count: number[] } = { minute: [], zone: [], name: [], count: [] };
    for (const [minute, rollup] of batch) {
      for (const row of rollup.stats.values()) {
        stats.minute.push(minute);
        stats.zone.push(row.zone);
        stats.qtype.push(row.qtype);
        stats.rcode.push(row.rcode);
        stats.transport.push(row.transport);
        stats.count.push(row.count);
      }
      for (const row of rollup.names.values()) {
        names.minute.push(minute);
        names.zone.push(row.zone);
        names.name.push(row.name);
        names.count.push(row.count);
      }
    }
    // The minute goes as epoch ms and is turned into the UTC timestamp Prisma stores (timestamp
    // without time zone), whatever the time zone of this process or of the database session.
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      if (stats.minute.length > 0) {
        await client.query(
          `INSERT INTO "QueryStat" (minute, "nameserverId", zone, qtype, rcode, transport, count)
           SELECT to_timestamp(s.m / 1000.0) AT TIME ZONE 'UTC', $1, s.z, s.q, s.r, s.t, s.c
           FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[]) AS s(m, z, q, r, t, c)
           ON CONFLICT (minute, "nameserverId", zone, qtype, rcode, transport) DO UPDATE SET count = "QueryStat".count + EXCLUDED.count`,
          [this.nameserverId, stats.minute, stats.zone, stats.qtype, stats.rcode, stats.transport, stats.count],
        );
      }
      if (names.minute.length > 0) {
        await client.query(
          `INSERT INTO "QueryNameStat" (minute, "nameserverId", zone, name, count)
           SELECT to_timestamp(s.m / 1000.0) AT TIME ZONE 'UTC', $1, s.z, s.n, s.c
           FROM unnest($2::bigint[], $3::text[], $4::text[], $5::int[]) AS s(m, z, n, c)
           ON CONFLICT (minute, "nameserverId", zone, name) DO UPDATE SET count = "QueryNameStat".count + EXCLUDED.count`,
          [this.nameserverId, names.minute, names.zone, names.name, names.count],
        );
      }
      await client.query("COMMIT");
      client.release();
    } catch (e) {
      // A connection that failed mid-transaction is not handed out again.
      client.release(e as Error);
      throw e;
    }
  }

  private async deleteExpired() {
    const cutoff = `(now() AT TIME ZONE 'UTC') - $1 * interval '1 day'`;
    await this.pool.query(`DELETE FROM "QueryStat" WHERE minute < ${cutoff}`, [this.settings.retentionDays]);
    await this.pool.query(`DELETE FROM "QueryNameStat" WHERE minute < ${cutoff}`, [this.settings.retentionDays]);
  }

  /**
   * A clean shutdown: what was counted since the last rollup is written, if the database answers
   * within CLOSE_WAIT_MS (the launcher kills a part that takes 5 s to stop).
   */
  async close() {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const finalWrite = (async () => {
      await this.writing;
      this.take();
      await this.write();
    })();
    await Promise.race([finalWrite, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    void this.pool.end().catch(() => {});
  }
}
