// GET /api/health: what a load balancer and an operator need to know, without signing in.
//
//   database     reachable? (one query, bounded by HEALTH_TIMEOUT_MS)
//   nameservers  every instance seen in the last hour (heartbeats in NameserverInstance, see
//                nameserver/served-serials.ts): alive or not, and for the alive ones how many
//                served zones they serve an older serial of (or not at all), and since when
//
// Status codes: 503 when the database is unreachable (this panel can do nothing useful: take it
// out of rotation); 200 otherwise, with "status": "degraded" when no nameserver is alive or an
// alive one lags more than HEALTH_MAX_LAG_SECONDS. A missing or lagging nameserver is not a
// reason to take the panel out: another panel would see the same nameservers. Monitoring reads
// "status" (ok | degraded | down) from the body.
import { db, type Db } from "./db/client.ts";
import { NAMESERVER_ALIVE_SECONDS, servedZoneWhere } from "./zone/served.ts";

export interface NameserverHealth {
  id: string;
  alive: boolean;
  lastSeenAt: string;
  /** Served zones this nameserver serves an older serial of, or not at all (alive ones only). */
  zonesBehind: number;
  /** Seconds since the oldest change it does not serve yet was committed (0: none). */
  lagSeconds: number;
}

export interface Health {
  status: "ok" | "degraded" | "down";
  database: { ok: true; latencyMs: number } | { ok: false; error: string };
  nameservers: NameserverHealth[];
  /** Why the status is not "ok". */
  problems: string[];
}

const SEEN_WITHIN_SECONDS = 3600;

function settings(env: NodeJS.ProcessEnv) {
  const number = (value: string | undefined, fallback: number) => (value && Number.isFinite(Number(value)) && Number(value) >= 0 ? Number(value) : fallback);
  return { maxLagSeconds: number(env.HEALTH_MAX_LAG_SECONDS, 10), timeoutMs: number(env.HEALTH_TIMEOUT_MS, 3000) };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One line of an error: the health body is no place for a stack or a connection string. Prisma's
 * messages start with "Invalid `prisma.$queryRaw()` invocation:"; the cause is on a later line.
 */
function firstLine(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split("\n").map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => !/^Invalid `prisma/.test(l)) ?? lines[0] ?? "error";
  return line.replace(/postgres(ql)?:\/\/\S+/g, "<database>");
}

async function nameserverHealth(client: Db, now: Date): Promise<NameserverHealth[]> {
  const instances = await client.nameserverInstance.findMany({
    where: { lastSeenAt: { gt: new Date(now.getTime() - SEEN_WITHIN_SECONDS * 1000) } },
    orderBy: { id: "asc" },
  });
  const aliveSince = now.getTime() - NAMESERVER_ALIVE_SECONDS * 1000;
  const alive = instances.filter((i) => i.lastSeenAt.getTime() > aliveSince).map((i) => i.id);
  // Zones whose reported serial differs from the committed one: the nameserver only ever
  // reports a serial it read from the database, so "differs" is "older".
  const behind = alive.length
    ? await client.$queryRaw<{ id: string; zones: number; oldest: Date }[]>`
        SELECT s."nameserverId" AS id, count(*)::int AS zones, min(z."updatedAt") AS oldest
        FROM "ServedZone" s JOIN "Zone" z ON z.id = s."zoneId"
        WHERE s.serial <> z.serial AND s."nameserverId" = ANY(${alive}::text[])
        GROUP BY s."nameserverId"`
    : [];
  return Promise.all(
    instances.map(async (instance) => {
      const isAlive = alive.includes(instance.id);
      let zonesBehind = 0;
      let oldest: Date | null = null;
      if (isAlive) {
        // Zones that should be served (the one rule, lib/zone/served.ts) with no report at all.
        const missing = await client.zone.aggregate({
          where: { AND: [servedZoneWhere(now), { served: { none: { nameserverId: instance.id } } }] },
          _count: true,
          _min: { updatedAt: true },
        });
        const stale = behind.find((b) => b.id === instance.id);
        zonesBehind = missing._count + (stale?.zones ?? 0);
        const times = [missing._min.updatedAt, stale?.oldest].filter((t): t is Date => !!t).map((t) => t.getTime());
        oldest = times.length ? new Date(Math.min(...times)) : null;
      }
      return {
        id: instance.id,
        alive: isAlive,
        lastSeenAt: instance.lastSeenAt.toISOString(),
        zonesBehind,
        lagSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 100) / 10) : 0,
      };
    }),
  );
}

export async function checkHealth(client: () => Db = db, env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): Promise<Health> {
  const { maxLagSeconds, timeoutMs } = settings(env);
  const started = Date.now();
  let database: Health["database"];
  let nameservers: NameserverHealth[] = [];
  try {
    const c = client();
    await within(c.$queryRaw`SELECT 1`, timeoutMs, "the database");
    database = { ok: true, latencyMs: Date.now() - started };
    nameservers = await within(nameserverHealth(c, now), timeoutMs, "the database");
  } catch (e) {
    database = { ok: false, error: firstLine(e) };
  }
  if (!database.ok) return { status: "down", database, nameservers: [], problems: [`database: ${database.error}`] };

  const problems: string[] = [];
  const alive = nameservers.filter((n) => n.alive);
  if (alive.length === 0) problems.push("no nameserver is running (none has reported in the last " + `${NAMESERVER_ALIVE_SECONDS} s)`);
  for (const n of alive) {
    if (n.lagSeconds > maxLagSeconds) problems.push(`nameserver ${n.id}: ${n.zonesBehind} zone(s) behind, the oldest change for ${n.lagSeconds} s`);
  }
  return { status: problems.length ? "degraded" : "ok", database, nameservers, problems };
}

/** The route's answer: 503 only when the database is down (see the top of this file). */
export async function healthResponse(client?: () => Db, env?: NodeJS.ProcessEnv): Promise<Response> {
  const health = await checkHealth(client, env);
  return Response.json(health, { status: health.status === "down" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
}
