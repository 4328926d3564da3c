// Moving a domain to another tenant (after an acquisition, a reorganisation, a dispute settled):
// platform administration, from /admin or the CLI (`domain move <domain> --to <slug>`).
//
// Nothing is re-created: the Domain row and its Zone change tenant, and everything hanging off
// them goes along untouched — the zone's records and serial, its history (ZoneChange, kept
// with the zone), the registration, its host objects and glue, the delegation and its last
// check. So the nameservers have nothing to reload: the zone they serve is the same, at the same
// serial. (Only when the two tenants differ in whether their zones are served at all — moving
// out of a tenant suspended for abuse — are they told to look again.) The audit log keeps what
// happened before the move under the old tenant (audit entries are never changed); the move
// itself is audited on both sides, "domain.move.out" and "domain.move.in".
//
// Refused when the target tenant is suspended, of either kind: a domain moved into a billing-
// suspended tenant could no longer be changed by anyone there, and one moved into an abuse-
// suspended tenant would stop resolving — neither is what a move is for; lift the suspension
// first. Moving out of a suspended tenant is allowed: returning a domain to its rightful holder
// is one way to deal with abuse. The target's domain quota holds, and so does its records quota
// for the zone that comes along.
import { db, type Db } from "../db/client.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { normalizeAbsoluteName } from "../dns/names.ts";
import { requirePlatformAdmin, type Principal } from "../permissions.ts";
import { actorFields, audit } from "../audit/audit.ts";
import { refuseOverlap } from "../domains.ts";
import { lockRegistry } from "../registry/publish.ts";
import { notifyZoneChanged, WRITE_TRANSACTION, type Actor } from "../zone/change-set.ts";
import { panelActor } from "../zone/actors.ts";
import { QuotaExceededError } from "./quota-errors.ts";
import { refuseOverDomainQuota, tenantLimits } from "./quotas.ts";
import { isSuspended, suspensionStopsServing } from "./suspension.ts";
import { readTenantForWrite, type TenantForWrite } from "./tenant-writes.ts";

export interface DomainMove {
  domain: string;
  /** Slugs of the tenant it left and the one it joined. */
  from: string;
  to: string;
  /** Its zone, unchanged by the move (null: a registration without a zone here). */
  zone: { name: string; serial: number; records: number } | null;
  registered: boolean;
}

/** Moves `domainName` with its zone, records, history and registration to the tenant `toSlug`. Platform admins only. */
export async function moveDomain(principal: Principal, domainName: string, toSlug: string, client: Db = db()): Promise<DomainMove> {
  requirePlatformAdmin(principal);
  return moveDomainAs(panelActor(principal), domainName, toSlug, client);
}

/** The same for the operator's CLI, which acts without a signed-in user. */
export async function moveDomainAs(actor: Actor, domainName: string, toSlug: string, client: Db = db()): Promise<DomainMove> {
  let name: string;
  try {
    name = normalizeAbsoluteName(typeof domainName === "string" ? domainName : "");
  } catch {
    throw new NotFoundError("domain");
  }
  const slug = typeof toSlug === "string" ? toSlug.trim().toLowerCase() : "";
  return client.$transaction(async (tx) => {
    // The registry's lock first, as every registry action takes it: none of them runs on this
    // domain (and reads its tenant) while it moves.
    await lockRegistry(tx);
    const domain = await tx.domain.findUnique({ where: { name }, include: { zone: { select: { id: true } }, registration: { select: { id: true } } } });
    if (!domain) throw new NotFoundError(`domain ${name}`);
    const target = await tx.tenant.findUnique({ where: { slug }, select: { id: true } });
    if (!target) throw new NotFoundError(`tenant ${slug}`);
    // Then the zone's row, then the tenants' rows: the write path's order (zone, then tenant),
    // so a change set in flight on this zone finishes first, under the tenant it started in,
    // and no two transactions wait for each other in a circle. The tenants in id order, so two
    // moves in opposite directions queue rather than deadlock.
    const zone = domain.zone
      ? (await tx.$queryRaw<{ id: string; name: string; serial: bigint }[]>`SELECT id, name, serial FROM "Zone" WHERE id = ${domain.zone.id} FOR UPDATE`)[0]
      : null;
    const locked = new Map<string, TenantForWrite>();
    for (const id of [domain.tenantId, target.id].sort()) locked.set(id, await readTenantForWrite(tx, id, { lock: true }));
    const source = locked.get(domain.tenantId)!;
    const dest = locked.get(target.id)!;
    if (source.id === dest.id) throw new ValidationError([{ path: ["to"], message: `${name} is already in ${dest.slug}` }]);
    if (isSuspended(dest)) {
      throw new ValidationError([{ path: ["to"], message: `${dest.slug} is suspended${dest.suspensionKind ? ` for ${dest.suspensionKind}` : ""}: lift its suspension before moving a domain into it` }]);
    }
    await refuseOverDomainQuota(tx, dest, actor);
    const records = zone ? await tx.record.count({ where: { zoneId: zone.id } }) : 0;
    const recordsLimit = tenantLimits(dest).recordsPerZone;
    if (zone && recordsLimit !== null && records > recordsLimit) {
      throw new QuotaExceededError(
        `quota exceeded: ${dest.slug} may have ${recordsLimit.toLocaleString("en-US")} records per zone and ${zone.name} has ${records.toLocaleString("en-US")}`,
        "recordsPerZone",
        recordsLimit,
        records,
      );
    }
    // Zones inside or around it that stay with the old tenant would then belong to another one.
    await refuseOverlap(tx, name, dest.id);

    await tx.domain.update({ where: { id: domain.id }, data: { tenantId: dest.id } });
    if (zone) await tx.zone.update({ where: { id: zone.id }, data: { tenantId: dest.id } });
    const details = {
      source: actor.source,
      from: source.slug,
      to: dest.slug,
      registered: domain.registration !== null,
      ...(zone ? { zone: zone.name, serial: Number(zone.serial), records } : {}),
    };
    await audit(tx, { tenantId: source.id, ...actorFields(actor), action: "domain.move.out", target: name, details });
    await audit(tx, { tenantId: dest.id, ...actorFields(actor), action: "domain.move.in", target: name, details });
    if (zone && suspensionStopsServing(source) !== suspensionStopsServing(dest)) await notifyZoneChanged(tx, zone.id, 0);
    return {
      domain: name,
      from: source.slug,
      to: dest.slug,
      zone: zone ? { name: zone.name, serial: Number(zone.serial), records } : null,
      registered: domain.registration !== null,
    };
  }, WRITE_TRANSACTION);
}
