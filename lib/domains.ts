// Domains and their zones. A hosted domain gets a zone whose apex NS records are our
// nameservers (NS_NAMES); creating both is one transaction, and the NS records go through the
// write path like any other record.
import { db, type Db } from "./db/client.ts";
import { hostingConfig } from "./config.ts";
import { NameError, normalizeAbsoluteName } from "./dns/names.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import { applyChangeSetInTransaction, removeZoneInTransaction, WRITE_TRANSACTION, type Actor, type ChangeResult } from "./zone/change-set.ts";
import { requireTenantPermission, type Principal } from "./permissions.ts";
import { panelActor } from "./zone/actors.ts";
import { dateSerial } from "./zone/serial.ts";

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
    const tenant = await tx.tenant.findUnique({ where: { id: input.tenantId } });
    if (!tenant) throw new NotFoundError("tenant");
    // The nameserver answers from the closest enclosing zone, so a zone inside (or around)
    // another tenant's zone would take over part of their names. Platform zones (the
    // registry's TLDs, no tenant) are the parents of every domain and are fine.
    const ancestors = name.split(".").map((_, i, labels) => labels.slice(i + 1).join(".")).filter(Boolean);
    const overlapping = await tx.zone.findFirst({
      where: { tenantId: { not: null, notIn: [tenant.id] }, OR: [{ name: { in: ancestors } }, { name: { endsWith: `.${name}` } }] },
    });
    if (overlapping) {
      throw new ValidationError([{ path: ["name"], message: `${name} overlaps ${overlapping.name}, which another account hosts here` }]);
    }
    const domain = await tx.domain.create({
      data: {
        tenantId: tenant.id,
        name,
        delegation: {
          create: { mode: "hosted", nameservers: { create: config.nameservers.map((hostname, position) => ({ hostname, position })) } },
        },
      },
    });
    const zone = await tx.zone.create({
      data: {
        name,
        tenantId: tenant.id,
        domainId: domain.id,
        serial: BigInt(dateSerial(new Date())),
        primaryNs: config.nameservers[0],
        hostmaster: config.hostmaster,
      },
    });
    await tx.auditLog.create({
      data: { tenantId: tenant.id, actorId: actor.userId ?? null, actorLabel: actor.label, action: "domain.create", target: name, details: { source: actor.source } },
    });
    const change = await applyChangeSetInTransaction(
      tx,
      zone.id,
      { add: config.nameservers.map((ns) => ({ name: "@", type: "NS", ttl: 86400, content: `${ns}.` })) },
      actor,
    );
    return { domainId: domain.id, zoneId: zone.id, change };
  }, WRITE_TRANSACTION);
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
  /** Hosted: the parent delegates to our nameservers. External: to someone else's. */
  delegation: "hosted" | "external" | "none";
  nameservers: string[];
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
    where: { tenantId: tenant.id, ...(text ? { name: { contains: text } } : {}) },
    orderBy: { name: "asc" },
    include: {
      delegation: { include: { nameservers: { orderBy: { position: "asc" } } } },
      zone: { include: { _count: { select: { records: true } }, changes: { orderBy: { createdAt: "desc" }, take: 1 } } },
    },
  });
  const rows: DomainRow[] = domains.map((d) => ({
    name: d.name,
    delegation: d.delegation?.mode ?? "external",
    nameservers: d.delegation?.nameservers.map((n) => n.hostname) ?? [],
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
  return createHostedDomain({ tenantId: tenant.id, name }, panelActor(principal), client);
}

/**
 * Stops hosting a domain: its zone, records and history are deleted and the nameservers stop
 * answering for it. `confirmation` must repeat the domain's name (the panel asks the user to
 * type it), so a stray click cannot delete a zone.
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
    const domain = await tx.domain.findFirst({ where: { name: normalized, tenantId: tenant.id }, include: { zone: true } });
    if (!domain) throw new NotFoundError("domain");
    if (domain.zone) await removeZoneInTransaction(tx, domain.zone.id, panelActor(principal));
    await tx.domain.delete({ where: { id: domain.id } });
    await tx.auditLog.create({
      data: { tenantId: tenant.id, actorId: principal.userId, actorLabel: principal.email, action: "domain.remove", target: normalized, details: {} },
    });
  }, WRITE_TRANSACTION);
}
