// The registrar: what site owners (panel), operators (CLI) and RDAP do with registrations. Each
// operation checks permissions (lib/permissions.ts) when it acts for a user, then calls the
// registry interface (lib/registry/registry.ts) — the only way registration data changes — and
// the hosting side (lib/domains.ts) where a zone must exist too.
import { db, type Db } from "../db/client.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { normalizeAbsoluteName } from "../dns/names.ts";
import { createZoneInTransaction, refuseOverlap } from "../domains.ts";
import { requireDomainPermission, requireTenantPermission, type Principal } from "../permissions.ts";
import { registryFor } from "../registry/local-registry.ts";
import { lockRegistry } from "../registry/publish.ts";
import { validYears } from "../registry/lifecycle.ts";
import type { NameCheck } from "../registry/names.ts";
import type { HostInput, NameserverChoice, RegistryResult } from "../registry/registry.ts";
import { WRITE_TRANSACTION, type Actor } from "../zone/change-set.ts";
import { panelActor } from "../zone/actors.ts";
import { preflightNameservers, type PreflightResult } from "./preflight.ts";
import { checkTopology } from "./topology.ts";
import { audit, actorOf } from "../audit/audit.ts";
import { readTenantForWrite, refuseSuspendedWrite, tenantForWrite } from "../tenancy/tenant-writes.ts";
import { refuseOverDomainQuota } from "../tenancy/quotas.ts";

export interface DomainRef {
  tenant: string;
  domain: string;
}

function normalizeOrNotFound(name: string): string {
  try {
    return normalizeAbsoluteName(name);
  } catch {
    throw new NotFoundError("domain");
  }
}

// --- For an operator (CLI) or a user, once permissions are checked ---

/** Availability of a name, with the reason when it cannot be registered (for `forTenantId`, when known). */
export function checkName(name: string, forTenantId?: string): Promise<NameCheck> {
  return registryFor(name).check(name, { forTenantId });
}

/**
 * Registers `name` for the tenant, on our nameservers, with its zone (SOA + our NS), all in one
 * transaction: either the tenant has the registration, the zone and the delegation at the
 * parent, or nothing was written. A name the tenant registered before and let go is taken back
 * with its kept zone and records. Refused for a suspended tenant, and over its domain quota
 * unless the name is one the tenant still holds (taken back: no domain is added).
 */
export async function registerDomainFor(
  input: { tenantId: string; name: string; years: number },
  actor: Actor,
  client: Db = db(),
  now?: Date,
): Promise<RegistryResult & { zoneCreated: boolean }> {
  const invalidYears = validYears(input.years);
  if (invalidYears) throw new ValidationError([{ path: ["years"], message: invalidYears }]);
  const registry = registryFor(input.name);
  return client.$transaction(async (tx) => {
    // First: two tenants registering one name queue here, and the second is told it is taken.
    await lockRegistry(tx);
    // Then the tenant's row (lib/tenancy/tenant-writes.ts): a suspension refuses, and the domain
    // count below cannot change under us.
    const tenant = await tenantForWrite(tx, input.tenantId, actor);
    const check = await registry.check(input.name, { tx, forTenantId: input.tenantId });
    if (check.verdict !== "available") throw new ValidationError([{ path: ["name"], message: check.reason }]);
    let domain = await tx.domain.findUnique({ where: { name: check.name }, include: { zone: true } });
    if (domain && domain.tenantId !== tenant.id) {
      // Released by another tenant: its entry goes when it holds nothing; a kept zone stays its own.
      if (domain.zone) throw new ValidationError([{ path: ["name"], message: `${check.unicode} was released recently and its previous holder still keeps its zone here; it cannot be registered until that zone is removed` }]);
      await tx.domain.delete({ where: { id: domain.id } });
      domain = null;
    }
    if (!domain) await refuseOverDomainQuota(tx, tenant, actor);
    await refuseOverlap(tx, check.name, tenant.id);
    const row = domain ?? (await tx.domain.create({ data: { tenantId: tenant.id, name: check.name }, include: { zone: true } }));
    const zoneCreated = !row.zone;
    if (zoneCreated) await createZoneInTransaction(tx, row, actor);
    const result = await registry.create(
      { name: check.name, years: input.years, domainId: row.id, tenantId: tenant.id, nameservers: { ours: true } },
      { actor, now, tx },
    );
    return { ...result, zoneCreated };
  }, WRITE_TRANSACTION);
}

export interface NameserverSwitch {
  preflight: PreflightResult | null;
  result: RegistryResult;
  /** Switching back to us created a fresh zone (the old one had been removed). */
  zoneCreated: boolean;
}

/** Asks each nameserver of a planned switch whether it answers for the domain (lib/registrar/preflight.ts). */
export async function preflightFor(domain: string, hosts: HostInput[], client: Db = db()): Promise<PreflightResult> {
  const topology = await checkTopology(domain, client, hosts.map((h) => h.name.toLowerCase().replace(/\.$/, "")));
  return preflightNameservers({ domain, hosts, knownHosts: topology.knownHosts, resolver: topology.resolver, defaultPort: topology.defaultPort });
}

/**
 * Switches a registered domain between our nameservers and others. Only the delegation at the
 * parent changes; the zone and its records stay (we keep answering from them while resolvers
 * may hold the old delegation). Before switching away, each new nameserver is asked for the
 * zone's SOA and NS: unless all answer authoritatively, the switch needs `force`. With `force`
 * ("switch anyway", after the user has seen the pre-flight) it is not asked again.
 */
export async function switchNameservers(name: string, choice: NameserverChoice, opts: { force?: boolean; actor: Actor; now?: Date }, client: Db = db()): Promise<NameserverSwitch> {
  const domainName = normalizeOrNotFound(name);
  const registry = registryFor(domainName);
  let preflight: PreflightResult | null = null;
  // A suspended tenant is told so before its nameservers are asked anything; the registry
  // checks again under the lock (setNameservers).
  const owner = await client.domain.findUnique({ where: { name: domainName }, select: { tenantId: true } });
  if (owner) refuseSuspendedWrite(await readTenantForWrite(client, owner.tenantId, { lock: false }), opts.actor);
  // The input first: hosts that could never be named are refused before anything is asked of
  // the network (and the user is not offered to "switch anyway" to them).
  await registry.validateNameservers(domainName, choice);
  if (!choice.ours && !opts.force) {
    preflight = await preflightFor(domainName, choice.hosts, client);
    if (!preflight.allAuthoritative) throw new PreflightError(preflight);
  }
  return client.$transaction(async (tx) => {
    await lockRegistry(tx);
    const domain = await tx.domain.findUnique({ where: { name: domainName }, include: { zone: true, registration: true } });
    if (!domain?.registration) throw new NotFoundError(`registration of ${domainName}`);
    let zoneCreated = false;
    if (choice.ours && !domain.zone) {
      await createZoneInTransaction(tx, domain, opts.actor);
      zoneCreated = true;
    }
    const result = await registry.setNameservers(domainName, choice, { actor: opts.actor, now: opts.now, tx });
    return { preflight, result, zoneCreated };
  }, WRITE_TRANSACTION);
}

/** A switch refused because the new nameservers do not (all) answer for the domain yet. */
export class PreflightError extends ValidationError {
  constructor(readonly preflight: PreflightResult) {
    super(
      preflight.hosts
        .flatMap((h, i) => (h.outcome === "ok" ? [] : [{ path: ["nameservers", i, "name"], message: `${h.name} ${h.message}` }]))
        .concat([{ path: [], message: `pre-flight: ${preflight.summary.replace(/\.$/, "")}; switch anyway to proceed` }]),
    );
    this.name = "PreflightError";
  }
}

// --- For a signed-in user: permission first, then the same operations ---

/** Availability, for a member of the tenant (any role may search). */
export async function searchName(principal: Principal, tenantSlug: string, name: string, client: Db = db()): Promise<NameCheck> {
  const { tenant } = await requireTenantPermission(principal, tenantSlug, "zone:read", client);
  return checkName(name, tenant.id);
}

export async function registerDomain(principal: Principal, tenantSlug: string, name: string, years: number, client: Db = db()) {
  const { tenant } = await requireTenantPermission(principal, tenantSlug, "domain:manage", client);
  return registerDomainFor({ tenantId: tenant.id, name, years }, panelActor(principal), client);
}

/** The registration of a domain of the tenant, for a user allowed `action` on it. */
async function registered(principal: Principal, ref: DomainRef, action: "zone:read" | "domain:manage", client: Db) {
  const { domain, tenant, grant } = await requireDomainPermission(principal, ref.domain, action, client, ref.tenant);
  const info = await registryFor(domain.name).info(domain.name);
  if (!info) throw new ConflictError(`${domain.name} is not registered here; its registration is managed at its own registrar`);
  return { domain, tenant, grant, info };
}

export async function renewDomain(principal: Principal, ref: DomainRef, years: number, client: Db = db()) {
  const { domain } = await registered(principal, ref, "domain:manage", client);
  return registryFor(domain.name).renew(domain.name, years, { actor: panelActor(principal) });
}

export async function restoreDomain(principal: Principal, ref: DomainRef, years: number, client: Db = db()) {
  const { domain } = await registered(principal, ref, "domain:manage", client);
  return restoreRegistration(domain.name, years, panelActor(principal), client);
}

/**
 * Restores a registration in its restore period. Delegated to our nameservers again, it needs
 * its zone: when that was removed meanwhile, a fresh one is created in the same transaction.
 */
export async function restoreRegistration(name: string, years: number, actor: Actor, client: Db = db(), now?: Date) {
  return client.$transaction(async (tx) => {
    await lockRegistry(tx);
    const domain = await tx.domain.findUnique({ where: { name }, include: { zone: true, delegation: true } });
    if (!domain) throw new NotFoundError(`domain ${name}`);
    if (!domain.zone && domain.delegation?.mode === "hosted") await createZoneInTransaction(tx, domain, actor);
    return registryFor(name).restore(name, years, { actor, now, tx });
  }, WRITE_TRANSACTION);
}

export async function setAutoRenew(principal: Principal, ref: DomainRef, on: boolean, client: Db = db()) {
  const { domain } = await registered(principal, ref, "domain:manage", client);
  return registryFor(domain.name).setAutoRenew(domain.name, on, { actor: panelActor(principal) });
}

export async function setTransferLock(principal: Principal, ref: DomainRef, locked: boolean, client: Db = db()) {
  const { domain } = await registered(principal, ref, "domain:manage", client);
  return registryFor(domain.name).setTransferLock(domain.name, locked, { actor: panelActor(principal) });
}

/** The auth code in clear, for owners and admins; every reveal is audited. */
export async function revealAuthCode(principal: Principal, ref: DomainRef, client: Db = db()): Promise<string> {
  const { domain, tenant } = await registered(principal, ref, "domain:manage", client);
  const code = await registryFor(domain.name).authCode(domain.name);
  await audit(client, { tenantId: tenant.id, ...actorOf(principal), action: "domain.authcode.reveal", target: domain.name });
  return code;
}

export async function regenerateAuthCode(principal: Principal, ref: DomainRef, client: Db = db()): Promise<string> {
  const { domain } = await registered(principal, ref, "domain:manage", client);
  return registryFor(domain.name).regenerateAuthCode(domain.name, { actor: panelActor(principal) });
}

export async function preflightNameserversFor(principal: Principal, ref: DomainRef, hosts: HostInput[], client: Db = db()) {
  const { domain } = await registered(principal, ref, "domain:manage", client);
  return preflightFor(domain.name, hosts, client);
}

export async function changeNameservers(principal: Principal, ref: DomainRef, choice: NameserverChoice, force: boolean, client: Db = db()) {
  const { domain } = await registered(principal, ref, "domain:manage", client);
  return switchNameservers(domain.name, choice, { force, actor: panelActor(principal) }, client);
}

/** A host object inside one of the tenant's registered domains, for a user who manages it. */
async function ownHost(principal: Principal, ref: DomainRef, host: string, client: Db) {
  const { domain } = await registered(principal, ref, "domain:manage", client);
  const info = await registryFor(domain.name).hostInfo(host);
  if (!info || info.domain !== domain.name) throw new NotFoundError(`host ${host}`);
  return { registry: registryFor(domain.name), name: info.name, actor: panelActor(principal) };
}

/** Sets the addresses of a host inside one of the tenant's domains (its glue). */
export async function updateHostAddresses(principal: Principal, ref: DomainRef, host: string, addresses: string[], client: Db = db()) {
  const { registry, name, actor } = await ownHost(principal, ref, host, client);
  return registry.updateHost(name, addresses, { actor });
}

export async function deleteHost(principal: Principal, ref: DomainRef, host: string, client: Db = db()) {
  const { registry, name, actor } = await ownHost(principal, ref, host, client);
  await registry.deleteHost(name, { actor });
}
