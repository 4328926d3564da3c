// What the registry's parent zones say, reconciled from registration data.
//
// The registry never edits parent-zone records by hand: after changing registrations,
// delegations or host objects it calls publish() with the domain and host names it touched.
// publish works out what each name should hold in its TLD zone and applies the difference as
// ONE change set per parent zone through the write path, so the parent's serial bumps once and
// the nameservers serve it within milliseconds, like any record edit.
//
//   <domain> NS   the delegation, while the registration is delegated (active or grace):
//                 our NS_NAMES in "hosted" mode, its own list in "external" mode
//   <domain> DS   its DS records (DNSSEC), under the same condition
//   <host> A/AAAA glue for a host object inside our registry, while at least one delegated
//                 domain names it (RFC 1034 §4.2.1; published once however many use it)
//
// Everything at the parent has the TLD's delegation TTL: how long resolvers keep a delegation,
// so how long after a change the old one may still be used.
import { hostingConfig } from "../config.ts";
import { applyChangeSetInTransaction, type Actor, type RecordRemoval } from "../zone/change-set.ts";
import type { RecordInput } from "../records/record-input.ts";
import { fqdn } from "../dns/names.ts";
import type { ParentChange, Tx } from "./registry.ts";
import { tldOf } from "./names.ts";

const DELEGATION_TYPES = ["NS", "DS", "A", "AAAA"];
const DELEGATED: ("active" | "grace")[] = ["active", "grace"];

/** Serialises every change of registry data: registry actions and ticks run one at a time. */
export async function lockRegistry(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('dns-panel:registry'))`;
}

type Desired = Map<string, Map<string, Set<string>>>; // name -> type -> contents

function want(desired: Desired, name: string, type: string, content: string) {
  let byType = desired.get(name);
  if (!byType) desired.set(name, (byType = new Map()));
  let contents = byType.get(type);
  if (!contents) byType.set(type, (contents = new Set()));
  contents.add(content);
}

/**
 * Is `host`'s glue needed: is it named by a delegation the parent zones publish now? Our own
 * nameservers always are: domains registered elsewhere and the TLD zones' own NS name them too.
 */
async function hostInUse(tx: Tx, host: string, ourNameservers: string[]): Promise<boolean> {
  if (ourNameservers.includes(host)) return true;
  const external = await tx.delegationNameserver.count({
    where: { hostname: host, delegation: { mode: "external", domain: { registration: { is: { status: { in: DELEGATED } } } } } },
  });
  return external > 0;
}

/**
 * Brings the parent-zone records of `domains` and `hosts` in line with the registry data.
 * Must run inside the registry lock (lockRegistry). Returns the change sets it applied.
 */
export async function publish(tx: Tx, names: { domains?: string[]; hosts?: string[] }, actor: Actor): Promise<ParentChange[]> {
  const tlds = await tx.registryTld.findMany({ include: { zone: { select: { id: true, name: true } } } });
  const tldNames = tlds.map((t) => t.name);
  const ourNameservers = hostingConfig().nameservers;
  const desired = new Map<string, Desired>(); // tld -> records
  // tld -> name -> the types reconciled there: NS/DS for a domain, A/AAAA for a host. A name can
  // be both (a domain whose nameserver is the domain itself); each call owns only what it names.
  const scope = new Map<string, Map<string, Set<string>>>();
  const inScope = (tld: string, name: string, types: string[]) => {
    if (!scope.has(tld)) scope.set(tld, new Map());
    const names = scope.get(tld)!;
    names.set(name, new Set([...(names.get(name) ?? []), ...types]));
    if (!desired.has(tld)) desired.set(tld, new Map());
    return desired.get(tld)!;
  };
  const ttlOf = new Map(tlds.map((t) => [t.name, t.delegationTtl]));

  for (const name of new Set(names.domains ?? [])) {
    const tld = tldOf(name, tldNames);
    if (!tld || tld === name) continue;
    const records = inScope(tld, name, ["NS", "DS"]);
    const domain = await tx.domain.findUnique({
      where: { name },
      include: { registration: true, delegation: { include: { nameservers: { orderBy: { position: "asc" } } } } },
    });
    const registration = domain?.registration;
    if (!registration || !DELEGATED.includes(registration.status as "active") || !domain.delegation) continue;
    const hosts = domain.delegation.mode === "hosted" ? ourNameservers : domain.delegation.mode === "external" ? domain.delegation.nameservers.map((n) => n.hostname) : [];
    for (const host of hosts) want(records, name, "NS", fqdn(host));
    for (const ds of registration.ds) want(records, name, "DS", ds);
  }

  for (const host of new Set(names.hosts ?? [])) {
    const tld = tldOf(host, tldNames);
    if (!tld) continue; // outside our registry: no glue
    const records = inScope(tld, host, ["A", "AAAA"]);
    const object = await tx.registryHost.findUnique({ where: { name: host } });
    if (!object || !(await hostInUse(tx, host, ourNameservers))) continue;
    for (const a of object.ipv4) want(records, host, "A", a);
    for (const a of object.ipv6) want(records, host, "AAAA", a);
  }

  const changes: ParentChange[] = [];
  // One change set per parent zone, in a fixed order.
  for (const tld of [...scope.keys()].sort()) {
    const zone = tlds.find((t) => t.name === tld)!.zone;
    const ttl = ttlOf.get(tld)!;
    const owned = scope.get(tld)!;
    const records = desired.get(tld)!;
    const current = (await tx.record.findMany({ where: { zoneId: zone.id, name: { in: [...owned.keys()] }, type: { in: DELEGATION_TYPES } } }))
      .filter((r) => owned.get(r.name)!.has(r.type));
    const remove: RecordRemoval[] = [];
    const add: RecordInput[] = [];
    const kept = new Set<string>();
    for (const r of current) {
      const wanted = records.get(r.name)?.get(r.type);
      if (wanted?.has(r.content) && r.ttl === ttl) kept.add(`${r.name}|${r.type}|${r.content}`);
      else remove.push({ id: r.id });
    }
    for (const [name, byType] of records) {
      for (const [type, contents] of byType) {
        for (const content of contents) if (!kept.has(`${name}|${type}|${content}`)) add.push({ name: fqdn(name), type, ttl, content });
      }
    }
    if (add.length === 0 && remove.length === 0) continue;
    const result = await applyChangeSetInTransaction(tx, zone.id, { add, remove }, actor);
    changes.push({ zone: zone.name, serial: result.serial, cacheSeconds: result.cacheSeconds });
  }
  return changes;
}
