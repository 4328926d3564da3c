// "Live on nameserver": does every running nameserver serve the zone's committed serial?
//
// Each nameserver reports the serial it serves per zone (table ServedZone) and refreshes its
// heartbeat (NameserverInstance.lastSeenAt) every few seconds. A nameserver whose heartbeat
// is older than NAMESERVER_ALIVE_SECONDS is gone and is not waited for. Serials compare with
// RFC 1982 arithmetic.
import { db, type Db } from "../db/client.ts";
import { requireZonePermission, type Principal } from "../permissions.ts";
import type { DomainRef } from "./records-table.ts";
import { serialAtLeast } from "./serial.ts";
import { NAMESERVER_ALIVE_SECONDS, servedZoneWhere } from "./served.ts";

export interface ServingStatus {
  serial: number;
  /** The zone is one we serve (hosted delegation, tenant active). */
  served: boolean;
  nameservers: { id: string; serial: number | null; current: boolean }[];
  /** At least one nameserver runs, and all that run serve `serial` or later. */
  live: boolean;
}

export async function servingStatus(principal: Principal, ref: DomainRef, client: Db = db()): Promise<ServingStatus> {
  const { zone } = await requireZonePermission(principal, ref.domain, "zone:read", client, ref.tenant);
  const served = (await client.zone.count({ where: { AND: [servedZoneWhere(), { id: zone.id }] } })) === 1;
  const alive = await client.nameserverInstance.findMany({
    where: { lastSeenAt: { gt: new Date(Date.now() - NAMESERVER_ALIVE_SECONDS * 1000) } },
    orderBy: { id: "asc" },
  });
  const reports = await client.servedZone.findMany({ where: { zoneId: zone.id, nameserverId: { in: alive.map((a) => a.id) } } });
  const serial = Number(zone.serial);
  const nameservers = alive.map((instance) => {
    const report = reports.find((r) => r.nameserverId === instance.id);
    const servedSerial = report ? Number(report.serial) : null;
    const current = servedSerial !== null && serialAtLeast(servedSerial, serial);
    return { id: instance.id, serial: servedSerial, current };
  });
  return { serial, served, nameservers, live: served && nameservers.length > 0 && nameservers.every((n) => n.current) };
}
