// The TLDs our local registry runs. Each is an ordinary platform-owned zone (no tenant, no
// domain) with an SOA and our NS records, plus a RegistryTld row; registry actions add the
// delegations of registered domains to it through the write path. Created idempotently at
// start from REGISTRY_TLDS (`npm start`, the deployment's migrate step) and on demand with
// `registry tld add <tld>`.
//
// The platform's own nameservers may live inside a registry TLD (NS_NAMES=ns1.dns.test): their
// addresses then come from NS_ADDRESSES and are host objects like any other, published as glue
// while a delegation names them, so a resolver can follow the whole chain from the TLD to us.
import { db, type Db } from "../db/client.ts";
import { hostingConfig, registryConfig } from "../config.ts";
import { ValidationError } from "../errors.ts";
import { fqdn, NameError, normalizeAbsoluteName } from "../dns/names.ts";
import { applyChangeSetInTransaction, WRITE_TRANSACTION, type Actor } from "../zone/change-set.ts";
import { dateSerial } from "../zone/serial.ts";
import { addYears } from "./lifecycle.ts";
import { encryptAuthCode, generateAuthCode } from "./auth-code.ts";
import { lockRegistry, publish } from "./publish.ts";
import { tldOf } from "./names.ts";
import type { ParentChange, Tx } from "./registry.ts";
import { parseAddresses } from "./hosts.ts";
import { audit } from "../audit/audit.ts";

export const REGISTRY_ACTOR: Actor = { label: "registry", source: "registry" };

/** The names of the TLDs the registry runs. */
export async function registryTlds(client: Db | Tx = db()): Promise<string[]> {
  return (await client.registryTld.findMany({ select: { name: true } })).map((t) => t.name);
}

export interface TldSetup {
  tld: string;
  created: boolean;
  /** Hosted domains found under a new TLD, registered to their tenants (see addTld). */
  adopted: string[];
  parentChanges: ParentChange[];
}

function normalizeTld(input: string): string {
  let name: string;
  try {
    name = normalizeAbsoluteName(input);
  } catch (e) {
    throw new ValidationError([{ path: ["tld"], message: e instanceof NameError ? e.message : "not a valid TLD" }]);
  }
  if (!name) throw new ValidationError([{ path: ["tld"], message: "the root cannot be a registry TLD" }]);
  if (name.includes("_") || name.includes("*")) throw new ValidationError([{ path: ["tld"], message: `"${input}" is not a valid TLD` }]);
  return name;
}

/**
 * Makes `tld` a registry TLD (idempotent): its platform zone with SOA and our NS, the
 * RegistryTld row, and the platform's nameserver hosts inside it. Domains already hosted under
 * a new TLD (an installation that hosted "example.test" before its registry ran "test") are
 * registered to their tenants for a year, delegated to our nameservers, so they keep resolving.
 */
export async function addTld(input: string, opts: { delegationTtl?: number; now?: Date } = {}, client: Db = db()): Promise<TldSetup> {
  const tld = normalizeTld(input);
  const hosting = hostingConfig();
  const registry = registryConfig();
  const now = opts.now ?? new Date();
  const delegationTtl = opts.delegationTtl ?? registry.delegationTtl;
  if (!Number.isInteger(delegationTtl) || delegationTtl < 1 || delegationTtl > 604800) {
    throw new ValidationError([{ path: ["ttl"], message: "the delegation TTL must be 1 to 604800 seconds" }]);
  }
  return client.$transaction(async (tx) => {
    await lockRegistry(tx);
    const existing = await tx.registryTld.findUnique({ where: { name: tld } });
    const setup: TldSetup = { tld, created: false, adopted: [], parentChanges: [] };
    if (!existing) {
      const clash = await tx.zone.findUnique({ where: { name: tld }, include: { tenant: true } });
      if (clash) throw new ValidationError([{ path: ["tld"], message: `${tld} is already a zone here${clash.tenant ? ` (hosted by ${clash.tenant.slug})` : ""}` }]);
      const enclosing = await registryTlds(tx);
      const outer = tldOf(tld, enclosing);
      if (outer) throw new ValidationError([{ path: ["tld"], message: `${tld} is inside the registry TLD ${outer}: register it there, or remove that TLD first` }]);
      const zone = await tx.zone.create({
        data: { name: tld, serial: BigInt(dateSerial(now)), primaryNs: hosting.nameservers[0], hostmaster: hosting.hostmaster },
      });
      await applyChangeSetInTransaction(tx, zone.id, { add: hosting.nameservers.map((ns) => ({ name: "@", type: "NS", ttl: 86400, content: fqdn(ns) })) }, REGISTRY_ACTOR);
      await tx.registryTld.create({ data: { name: tld, zoneId: zone.id, delegationTtl } });
      await audit(tx, { actorLabel: REGISTRY_ACTOR.label, action: "registry.tld.add", target: tld, details: { delegationTtl } });
      setup.created = true;
      setup.adopted = await adoptHostedDomains(tx, tld, now);
    }
    const hosts = await syncPlatformHosts(tx, tld);
    let republish = setup.adopted;
    if (existing) {
      await syncApexNameservers(tx, existing.zoneId);
      if (opts.delegationTtl !== undefined && opts.delegationTtl !== existing.delegationTtl) {
        // A new TTL for every delegation of the TLD: republish them all with it.
        await tx.registryTld.update({ where: { name: tld }, data: { delegationTtl } });
        await audit(tx, { actorLabel: REGISTRY_ACTOR.label, action: "registry.tld.ttl", target: tld, details: { delegationTtl } });
        republish = (await tx.registration.findMany({ where: { tld }, select: { domain: { select: { name: true } } } })).map((r) => r.domain.name);
        hosts.push(...(await tx.registryHost.findMany({ where: { tld }, select: { name: true } })).map((h) => h.name));
      }
    }
    setup.parentChanges = await publish(tx, { domains: republish, hosts }, REGISTRY_ACTOR);
    return setup;
  }, WRITE_TRANSACTION);
}

/** The TLD zone's own NS (and SOA MNAME) follow NS_NAMES, which may have changed since it was made. */
async function syncApexNameservers(tx: Tx, zoneId: string): Promise<void> {
  const { nameservers, hostmaster } = hostingConfig();
  const zone = await tx.zone.findUniqueOrThrow({ where: { id: zoneId }, include: { records: { where: { type: "NS" } } } });
  const apexNs = zone.records.filter((r) => r.name === zone.name);
  const wanted = nameservers.map(fqdn);
  if (apexNs.length === wanted.length && apexNs.every((r) => wanted.includes(r.content))) return;
  // The new SOA fields ride on the change set of the new NS, whose serial announces both.
  await tx.zone.update({ where: { id: zoneId }, data: { primaryNs: nameservers[0], hostmaster } });
  const remove = apexNs.filter((r) => !wanted.includes(r.content)).map((r) => ({ id: r.id }));
  const add = wanted.filter((ns) => !apexNs.some((r) => r.content === ns)).map((ns) => ({ name: "@", type: "NS", ttl: 86400, content: ns }));
  await applyChangeSetInTransaction(tx, zoneId, { add, remove }, REGISTRY_ACTOR);
}

/** Domains hosted directly under a new registry TLD become registrations of their tenants. */
async function adoptHostedDomains(tx: Tx, tld: string, now: Date): Promise<string[]> {
  const candidates = await tx.domain.findMany({ where: { name: { endsWith: `.${tld}` }, registration: { is: null } } });
  const adopted: string[] = [];
  for (const domain of candidates) {
    if (domain.name.slice(0, -(tld.length + 1)).includes(".")) continue; // not directly under the TLD
    await tx.registration.create({
      data: { domainId: domain.id, tld, registeredAt: now, expiresAt: addYears(now, 1), authCodeCipher: encryptAuthCode(generateAuthCode()) },
    });
    await tx.delegation.upsert({ where: { domainId: domain.id }, update: {}, create: { domainId: domain.id, mode: "hosted" } });
    await audit(tx, { tenantId: domain.tenantId, actorLabel: REGISTRY_ACTOR.label, action: "domain.register", target: domain.name, details: { years: 1, adopted: true } });
    adopted.push(domain.name);
  }
  return adopted;
}

/**
 * The platform's own nameservers inside `tld` as host objects, with their addresses from
 * NS_ADDRESSES (required: without glue a delegation to them could never resolve).
 */
async function syncPlatformHosts(tx: Tx, tld: string): Promise<string[]> {
  const { nameservers } = hostingConfig();
  const { nsAddresses } = registryConfig();
  const inside = nameservers.filter((ns) => tldOf(ns, [tld]) === tld);
  for (const ns of inside) {
    const given = nsAddresses.get(ns) ?? [];
    const issues: { path: (string | number)[]; message: string }[] = [];
    const { ipv4, ipv6 } = parseAddresses(given, ["NS_ADDRESSES"], issues);
    if (issues.length || ipv4.length + ipv6.length === 0) {
      throw new ValidationError([
        { path: ["NS_ADDRESSES"], message: issues[0]?.message ?? `our nameserver ${ns} is inside the registry TLD ${tld}: set its address in NS_ADDRESSES (e.g. NS_ADDRESSES=${ns}=192.0.2.53) so it can be published as glue` },
      ]);
    }
    await tx.registryHost.upsert({ where: { name: ns }, update: { ipv4, ipv6, domainId: null, tld, platform: true }, create: { name: ns, tld, ipv4, ipv6, platform: true } });
  }
  return inside;
}

/**
 * At start: every TLD of REGISTRY_TLDS exists, and the delegations of domains using our
 * nameservers name the current NS_NAMES (they may have changed since the last start).
 */
export async function ensureRegistry(client: Db = db()): Promise<TldSetup[]> {
  const setups: TldSetup[] = [];
  for (const tld of registryConfig().tlds) setups.push(await addTld(tld, {}, client));
  await client.$transaction(async (tx) => {
    await lockRegistry(tx);
    const hosted = await tx.domain.findMany({
      where: { registration: { isNot: null }, delegation: { mode: "hosted" } },
      select: { name: true },
    });
    const platformHosts = (await tx.registryHost.findMany({ where: { platform: true }, select: { name: true } })).map((h) => h.name);
    await publish(tx, { domains: hosted.map((d) => d.name), hosts: [...platformHosts, ...hostingConfig().nameservers] }, REGISTRY_ACTOR);
  }, WRITE_TRANSACTION);
  return setups;
}
