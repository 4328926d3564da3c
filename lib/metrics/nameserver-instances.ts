// The nameserver instances, as the dashboard lists them: when each started, when it last
// reported (its heartbeat, NameserverInstance.lastSeenAt, refreshed every few seconds), whether
// it is alive (seen within NAMESERVER_ALIVE_SECONDS), and how far behind the database it serves:
// how many served zones it serves an older serial of (or not at all), and since when the oldest
// change it lacks was committed.
//
// Like lib/health.ts, but for the operator's eyes: the oldest lag is taken from the journal (the
// first change after the serial it serves), not from the zone's last change, so a nameserver
// three changes behind shows how long ago the first of them was made.
import type { DbClient } from "../db/client.ts";
import { NAMESERVER_ALIVE_SECONDS, servedZoneWhere } from "../zone/served.ts";

/** Instances not seen for this long are left off the list (a host renamed, a port moved). */
export const INSTANCES_LISTED_FOR_SECONDS = 7 * 86_400;

export interface NameserverInstanceStatus {
  id: string;
  startedAt: Date;
  lastSeenAt: Date;
  /** Seconds since its last heartbeat. */
  heartbeatAgeSeconds: number;
  alive: boolean;
  /** Served zones it serves an older serial of, or not at all; null for one that is gone. */
  zonesBehind: number | null;
  /** Seconds since the oldest change it does not serve was committed (0: up to date); null when gone. */
  lagSeconds: number | null;
}

export async function nameserverInstances(client: DbClient, now: Date = new Date()): Promise<NameserverInstanceStatus[]> {
  const instances = await client.nameserverInstance.findMany({
    where: { lastSeenAt: { gt: new Date(now.getTime() - INSTANCES_LISTED_FOR_SECONDS * 1000) } },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
  });
  const aliveSince = now.getTime() - NAMESERVER_ALIVE_SECONDS * 1000;
  const alive = instances.filter((i) => i.lastSeenAt.getTime() > aliveSince).map((i) => i.id);

  // Zones whose reported serial differs from the committed one. A nameserver only ever reports
  // a serial it read from the database, so "differs" is "older". Since when: the journal entry
  // that left the serial it serves, or the zone's last update when the journal has none.
  const stale = alive.length
    ? await client.$queryRaw<{ nameserverId: string; zoneId: string; since: Date }[]>`
        SELECT s."nameserverId", s."zoneId",
               coalesce((SELECT min(c."createdAt") FROM "ZoneChange" c WHERE c."zoneId" = z.id AND c."oldSerial" = s.serial), z."updatedAt") AS since
        FROM "ServedZone" s JOIN "Zone" z ON z.id = s."zoneId"
        WHERE s.serial <> z.serial AND s."nameserverId" = ANY(${alive}::text[])`
    : [];
  // Only zones that are to be served count (lib/zone/served.ts): a nameserver keeps no promise
  // about a zone it has stopped serving.
  const servedStale = stale.length
    ? new Set(
        (await client.zone.findMany({ where: { AND: [servedZoneWhere(now), { id: { in: [...new Set(stale.map((s) => s.zoneId))] } }] }, select: { id: true } })).map((z) => z.id),
      )
    : new Set<string>();

  return Promise.all(
    instances.map(async (instance) => {
      const base = {
        id: instance.id,
        startedAt: instance.startedAt,
        lastSeenAt: instance.lastSeenAt,
        heartbeatAgeSeconds: Math.max(0, Math.round((now.getTime() - instance.lastSeenAt.getTime()) / 1000)),
      };
      if (!alive.includes(instance.id)) return { ...base, alive: false, zonesBehind: null, lagSeconds: null };
      // Zones to be served that it has not reported at all (a zone just created, or served again).
      const missing = await client.zone.aggregate({
        where: { AND: [servedZoneWhere(now), { served: { none: { nameserverId: instance.id } } }] },
        _count: true,
        _min: { updatedAt: true },
      });
      const behind = stale.filter((s) => s.nameserverId === instance.id && servedStale.has(s.zoneId));
      const times = [missing._min.updatedAt, ...behind.map((b) => b.since)].filter((t): t is Date => !!t).map((t) => t.getTime());
      const oldest = times.length ? Math.min(...times) : null;
      return {
        ...base,
        alive: true,
        zonesBehind: missing._count + behind.length,
        lagSeconds: oldest === null ? 0 : Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
      };
    }),
  );
}
