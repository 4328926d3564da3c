// Domains and their zones. A hosted domain gets a zone whose apex NS records are our
// nameservers (NS_NAMES); creating both is one transaction, and the NS records go through the
// write path like any other record.
import type { Prisma } from "./generated/prisma/client.ts";
import { db, type Db } from "./db/client.ts";
import { hostingConfig } from "./config.ts";
import { NameError, normalizeAbsoluteName } from "./dns/names.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import { applyChangeSetInTransaction, removeZoneInTransaction, WRITE_TRANSACTION, type Actor, type ChangeResult } from "./zone/change-set.ts";
import { requireTenantPermission, type Principal } from "./permissions.ts";
import { panelActor } from "./zone/actors.ts";
import { dateSerial } from "./zone/serial.ts";
import { lockRegistry } from "./registry/publish.ts";
import { tldOf } from "./registry/names.ts";
import { registryTlds } from "./registry/tlds.ts";
import { audit, actorFields, actorOf } from "./audit/audit.ts";
import { tenantForWrite } from "./tenancy/tenant-writes.ts";
import { refuseOverDomainQuota } from "./tenancy/quotas.ts";
import { likeLiteral } from "./db/like.ts";

export function normalizeDomainName(input: string): string {
  let name: string;
  try {
    name = normalizeAbsoluteName(input);
  } catch (e) {
    throw new ValidationError([{ path: ["name"], message: e instanceof NameError ? e.message : "not a valid domain name" }]);
  }
  if (name.split(".").length < 2) throw new ValidationError([{ path: ["name"], message: `"${input}" is not a domain name (e.g. example.com)` }]);
  return name;
}

/**
 * Creates the zone of a domain, with our nameservers (NS_NAMES) as its apex NS records, inside
 * an open transaction. Used when a domain is hosted, registered, or switched back to our
 * nameservers after its zone was removed.
 */
export async function createZoneInTransaction(
  tx: Prisma.TransactionClient,
  domain: { id: string; name: string; tenantId: string },
  actor: Actor,
): Promise<{ zoneId: string; change: ChangeResult }> {
  const config = hostingConfig();
  const zone = await tx.zone.create({
    data: {
      name: domain.name,
      tenantId: domain.tenantId,
      domainId: domain.id,
      serial: BigInt(dateSerial(new Date())),
      primaryNs: config.nameservers[0],
      hostmaster: config.hostmaster,
    },
  });
  const change = await applyChangeSetInTransaction(
    tx,
    zone.id,
    { add: config.nameservers.map((ns) => ({ name: "@", type: "NS", ttl: 86400, content: `${ns}.` })) },
    actor,
  );
  return { zoneId: zone.id, change };
}

/**
 * The nameserver answers from the closest enclosing zone, so a zone inside (or around) another
 * tenant's zone would take over part of their names. Platform zones (the registry's TLDs, no
 * tenant) are the parents of every domain and are fine.
 */
export async function refuseOverlap(tx: Prisma.TransactionClient, name: string, tenantId: string): Promise<void> {
  const ancestors = name.split(".").map((_, i, labels) => labels.slice(i + 1).join(".")).filter(Boolean);
  const overlapping = await tx.zone.findFirst({
    where: { tenantId: { not: null, notIn: [tenantId] }, OR: [{ name: { in: ancestors } }, { name: { endsWith: `.${name}` } }] },
  });
  if (overlapping) {
    throw new ValidationError([{ path: ["name"], message: `${name} overlaps ${overlapping.name}, which another account hosts here` }]);
  }
}

/**
 * A domain hosted on our nameservers: the Domain row, its delegation (ours: what to set at the
 * registrar) and its zone, in one transaction. The low-level primitive; users go through
 * hostDomainRegisteredElsewhere (below) or the registrar (lib/registrar/domains.ts). Refused
 * for a suspended tenant and over the tenant's domain quota (lib/tenancy/quotas.ts), checked
 * with the tenant's row locked so two additions at the limit cannot both pass.
 */
export async function createHostedDomain(
  input: { tenantId: string; name: string },
  actor: Actor,
  client: Db = db(),
): Promise<{ domainId: string; zoneId: string; change: ChangeResult }> {
  const name = normalizeDomainName(input.name);
  const config = hostingConfig();
  return client.$transaction(async (tx) => {
    if (await tx.domain.findUnique({ where: { name } })) {
      throw new ValidationError([{ path: ["name"], message: `${name} is already registered here` }]);
    }
    const tenant = await tenantForWrite(tx, input.tenantId, actor);
    await refuseOverDomainQuota(tx, tenant, actor);
    await refuseOverlap(tx, name, tenant.id);
    const domain = await tx.domain.create({
      data: {
        tenantId: tenant.id,
        name,
        delegation: {
          create: { mode: "hosted", nameservers: { create: config.nameservers.map((hostname, position) => ({ hostname, position })) } },
        },
      },
    });
    await audit(tx, { tenantId: tenant.id, ...actorFields(actor), action: "domain.create", target: name, details: { source: actor.source } });
    const { zoneId, change } = await createZoneInTransaction(tx, domain, actor);
    return { domainId: domain.id, zoneId, change };
  }, WRITE_TRANSACTION);
}

/**
 * Hosts a domain registered at another registrar ("Add domain", `domain add`). Names inside a
 * TLD our own registry runs are registered, not merely hosted: a zone for an unregistered name
 * would resolve nowhere, and would keep the name from whoever registers it.
 */
export async function hostDomainRegisteredElsewhere(input: { tenantId: string; name: string }, actor: Actor, client: Db = db()) {
  const name = normalizeDomainName(input.name);
  const tld = tldOf(name, await registryTlds(client));
  if (tld) {
    const registered = await client.domain.findUnique({ where: { name }, include: { registration: true } });
    throw new ValidationError([
      {
        path: ["name"],
        message: registered?.registration
          ? `${name} is registered here already`
          : `.${tld} is run by our own registry: register ${name} instead of adding it (its zone is created with the registration)`,
      },
    ]);
  }
  return createHostedDomain({ ...input, name }, actor, client);
}

/** The zone of a domain by name, optionally only within one tenant (others answer not found). */
export async function findZoneByName(name: string, opts: { tenantId?: string } = {}, client: Db = db()) {
  let normalized: string;
  try {
    normalized = normalizeAbsoluteName(name);
  } catch {
    throw new NotFoundError(`zone ${name}`);
  }
  const zone = await client.zone.findUnique({ where: { name: normalized } });
  if (!zone || (opts.tenantId !== undefined && zone.tenantId !== opts.tenantId)) throw new NotFoundError(`zone ${normalized}`);
  return zone;
}

// --- The panel's domain list ---

export interface DomainRow {
  name: string;
  /** Hosted: the parent delegates to our nameservers. External: to someone else's. None: not registered (released). */
  delegation: "hosted" | "external" | "none";
  nameservers: string[];
  /** Registered in our registry (with its status and expiry), or null: registered elsewhere. */
  registration: { status: "active" | "grace" | "redemption"; expiresAt: Date; autoRenew: boolean } | null;
  /** For a domain registered elsewhere: does the last delegation check find our nameservers at its parent? */
  checkedUsesOurs: boolean | null;
  records: number;
  serial: number | null;
  lastChangeAt: Date | null;
  lastChangeBy: string | null;
}

/** The tenant's domains, optionally filtered by a search text (part of the name). */
export async function listDomains(principal: Principal, tenantSlug: string, search = "", client: Db = db()) {
  const { tenant, grant } = await requireTenantPermission(principal, tenantSlug, "zone:read", client);
  const text = search.trim().toLowerCase();
  const domains = await client.domain.findMany({
    // Typed text, not a pattern: "_" and "%" match themselves, a NUL byte matches nothing.
    where: { tenantId: tenant.id, ...(text ? { name: { contains: likeLiteral(text) } } : {}) },
    orderBy: { name: "asc" },
    include: {
      delegation: { include: { nameservers: { orderBy: { position: "asc" } } } },
      zone: { include: { _count: { select: { records: true } }, changes: { orderBy: { createdAt: "desc" }, take: 1 } } },
      registration: { select: { status: true, expiresAt: true, autoRenew: true } },
      lastCheck: { select: { usesOurs: true } },
    },
  });
  const rows: DomainRow[] = domains.map((d) => ({
    name: d.name,
    delegation: d.delegation?.mode ?? "external",
    nameservers: d.delegation?.nameservers.map((n) => n.hostname) ?? [],
    registration: d.registration,
    checkedUsesOurs: d.lastCheck?.usesOurs ?? null,
    records: d.zone?._count.records ?? 0,
    serial: d.zone ? Number(d.zone.serial) : null,
    lastChangeAt: d.zone?.changes[0]?.createdAt ?? null,
    lastChangeBy: d.zone?.changes[0]?.actorLabel ?? null,
  }));
  return { tenant, grant, domains: rows };
}

/** Hosts a new domain for the tenant on our nameservers (DNS hosting; registration comes later). */
export async function addDomain(principal: Principal, tenantSlug: string, name: unknown, client: Db = db()) {
  const { tenant } = await requireTenantPermission(principal, tenantSlug, "domain:manage", client);
  if (typeof name !== "string" || !name.trim()) throw new ValidationError([{ path: ["name"], message: "a domain name is required" }]);
  return hostDomainRegisteredElsewhere({ tenantId: tenant.id, name }, panelActor(principal), client);
}

/**
 * Stops hosting a domain: its zone, records and history are deleted and the nameservers stop
 * answering for it. `confirmation` must repeat the domain's name (the panel asks the user to
 * type it), so a stray click cannot delete a zone. A domain registered elsewhere goes from the
 * panel with its zone. A domain registered here keeps its registration; its zone can go only
 * while the registry delegates it elsewhere (deleting the zone its delegation points at would
 * take it off the internet).
 */
export async function removeDomain(principal: Principal, tenantSlug: string, name: string, confirmation: string, client: Db = db()) {
  const { tenant } = await requireTenantPermission(principal, tenantSlug, "domain:manage", client);
  let normalized: string;
  try {
    normalized = normalizeAbsoluteName(name);
  } catch {
    throw new NotFoundError("domain");
  }
  if (confirmation.trim().toLowerCase().replace(/\.$/, "") !== normalized) {
    throw new ValidationError([{ path: ["confirmation"], message: `type ${normalized} to confirm` }]);
  }
  await client.$transaction(async (tx) => {
    // Under the registry's lock: a switch of nameservers cannot slip in between the check and the removal.
    await lockRegistry(tx);
    const domain = await tx.domain.findFirst({ where: { name: normalized, tenantId: tenant.id }, include: { zone: true, registration: true, delegation: true } });
    if (!domain) throw new NotFoundError("domain");
    const registered = domain.registration !== null;
    if (registered && domain.delegation?.mode === "hosted" && domain.registration!.status !== "redemption") {
      throw new ValidationError([
        { path: ["confirmation"], message: `${normalized} is registered here and delegated to our nameservers: switch it to other nameservers first, or it stops resolving` },
      ]);
    }
    const handover = domain.delegation?.hostedUntil;
    if (domain.zone && handover && handover > new Date()) {
      throw new ValidationError([
        {
          path: ["confirmation"],
          message: `resolvers may still use the previous delegation to our nameservers until ${handover.toISOString().slice(0, 16).replace("T", " ")} UTC, and we answer them from this zone; remove it after that`,
        },
      ]);
    }
    // The write path refuses it while the tenant is suspended (platform admins excepted), with
    // the zone's row locked before the tenant's, in the order every writer takes them.
    if (domain.zone) await removeZoneInTransaction(tx, domain.zone.id, panelActor(principal));
    if (!registered) await tx.domain.delete({ where: { id: domain.id } });
    await audit(tx, { tenantId: tenant.id, ...actorOf(principal), action: "domain.remove", target: normalized, details: { registrationKept: registered } });
  }, WRITE_TRANSACTION);
}
