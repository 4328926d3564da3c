// What the panel shows about one domain: its registration (here or elsewhere), the nameservers
// in use, whether the world asks ours (so whether its records are used at all), the last
// delegation check, and its recent activity, each change with "visible everywhere by".
import { db, type Db } from "../db/client.ts";
import { hostingConfig, registryConfig } from "../config.ts";
import { requireDomainPermission, type Principal } from "../permissions.ts";
import { registryFor } from "../registry/local-registry.ts";
import { lifecycleSummary } from "../registry/lifecycle.ts";
import type { RegistrationInfo } from "../registry/registry.ts";
import { tldOf } from "../registry/names.ts";
import { registryTlds } from "../registry/tlds.ts";
import { visibleEverywhereAt } from "../zone/caching.ts";
import { historyLines, type HistoryLine } from "../zone/history.ts";
import { checkDelegation, type DelegationCheckResult } from "./delegation-check.ts";
import { checkTopology } from "./topology.ts";
import type { DomainRef } from "./domains.ts";

export interface RecordsUsage {
  /** true: resolvers are sent to our nameservers; false: they are not; null: not known yet. */
  inUse: boolean | null;
  /** The nameservers the world is sent to instead (when inUse is false). */
  delegatedTo: string[];
  /** The sentence the records page shows above the table (empty when the records are in use). */
  message: string;
}

/**
 * Are the zone's records what the world sees? For a domain registered here we know (it is our
 * delegation); for one registered elsewhere, the last delegation check tells.
 */
export function recordsUsage(input: {
  domain: string;
  registration: Pick<RegistrationInfo, "status" | "mode" | "nameservers"> | null;
  delegationMode: "hosted" | "external" | "none" | null;
  hostedUntil: Date | null;
  lastCheck: { usesOurs: boolean | "partly" | null; parentNs: string[] } | null;
  now: Date;
}): RecordsUsage {
  const list = (names: string[]) => names.join(", ");
  const stillAnswering = input.hostedUntil && input.hostedUntil > input.now
    ? ` Our nameservers keep answering until ${input.hostedUntil.toISOString().slice(11, 16)} UTC for resolvers that cached the old delegation.`
    : "";
  const reg = input.registration;
  if (reg) {
    if (reg.status === "redemption") {
      return { inUse: false, delegatedTo: [], message: `These records are not being used: the registration of ${input.domain} expired and its delegation was removed. Restore it to use them.` };
    }
    if (reg.mode === "external") {
      const names = reg.nameservers.map((n) => n.name);
      const ours = hostingConfig().nameservers;
      if (names.some((n) => ours.includes(n))) {
        return {
          inUse: true,
          delegatedTo: names,
          message: `Only some resolvers use these records: this domain is delegated to ${list(names)}, not all of which are ours. Use only our nameservers, or only the others, so every resolver gets the same answers.`,
        };
      }
      return {
        inUse: false,
        delegatedTo: names,
        message: `These records are not being used: this domain is delegated to ${list(names)}. Switch back to our nameservers to use them.${stillAnswering}`,
      };
    }
    return { inUse: true, delegatedTo: [], message: "" };
  }
  if (input.delegationMode === "none") {
    return { inUse: false, delegatedTo: [], message: `These records are not being used: ${input.domain} is no longer registered.` };
  }
  const check = input.lastCheck;
  if (!check || check.usesOurs === null) return { inUse: null, delegatedTo: [], message: "" };
  if (check.usesOurs === true) return { inUse: true, delegatedTo: [], message: "" };
  if (check.usesOurs === "partly") {
    return {
      inUse: true,
      delegatedTo: check.parentNs,
      message: `Only some resolvers use these records: ${input.domain} is delegated to ${list(check.parentNs)}, not all of which are ours. Set exactly our nameservers (${list(hostingConfig().nameservers)}) at its registrar.`,
    };
  }
  return {
    inUse: false,
    delegatedTo: check.parentNs,
    message: check.parentNs.length
      ? `These records are not being used: this domain is delegated to ${list(check.parentNs)}. Set its nameservers to ours (${list(hostingConfig().nameservers)}) at its registrar to use them.`
      : `These records are not being used: ${input.domain} is not delegated at all. Set its nameservers to ours (${list(hostingConfig().nameservers)}) at its registrar.`,
  };
}

export type ActivityEntry =
  | { kind: "records"; id: string; at: Date; who: string; serial: number; lines: HistoryLine[]; visibleAt: Date }
  | { kind: "registry"; id: string; at: Date; who: string; action: string; summary: string; visibleAt: Date | null };

const REGISTRY_ACTIONS: Record<string, (d: Record<string, unknown>) => string> = {
  "domain.register": (d) => `registered for ${d.years} year${d.years === 1 ? "" : "s"}${d.adopted ? " (hosted domain under a new registry TLD)" : ""}`,
  "domain.renew": (d) => `renewed for ${d.years} year${d.years === 1 ? "" : "s"}, until ${String(d.expiresAt).slice(0, 10)}`,
  "domain.autorenew.renewed": (d) => `renewed automatically, until ${String(d.expiresAt).slice(0, 10)}`,
  "domain.autorenew": (d) => `auto-renew turned ${d.on ? "on" : "off"}`,
  "domain.nameservers": (d) => (d.mode === "hosted" ? "nameservers switched to ours" : `nameservers switched to ${(d.nameservers as string[] | undefined)?.join(", ")}`),
  "domain.lock": () => "transfer lock turned on",
  "domain.unlock": () => "transfer lock turned off",
  "domain.authcode.reveal": () => "auth code revealed",
  "domain.authcode.regenerate": () => "auth code regenerated",
  "domain.ds": (d) => ((d.ds as string[] | undefined)?.length ? `DS records set (${(d.ds as string[]).length})` : "DS records removed"),
  "domain.expire": () => "expired: grace period started",
  "domain.undelegate": () => "grace period over: delegation removed from the parent zone",
  "domain.delete": () => "registration deleted: delegation removed (restorable)",
  "domain.restore": (d) => `restored, registered until ${String(d.expiresAt).slice(0, 10)}`,
  "domain.release": () => "released: the name is available again",
  "host.update": (d) => `addresses of ${d.host} changed: ${[...((d.ipv4 as string[]) ?? []), ...((d.ipv6 as string[]) ?? [])].join(", ")}`,
  "host.delete": (d) => `host ${d.host} deleted`,
};

/** Recent record changes and registry actions of a domain, newest first. */
export async function domainActivity(domain: { id: string; name: string; tenantId: string }, zoneId: string | null, limit = 20, client: Db = db()): Promise<ActivityEntry[]> {
  const [changes, audits] = await Promise.all([
    zoneId ? client.zoneChange.findMany({ where: { zoneId }, orderBy: { createdAt: "desc" }, take: limit }) : Promise.resolve([]),
    client.auditLog.findMany({
      where: { tenantId: domain.tenantId, target: domain.name, action: { in: Object.keys(REGISTRY_ACTIONS) } },
      orderBy: { createdAt: "desc" },
      take: limit,
    }),
  ]);
  const entries: ActivityEntry[] = [
    ...changes.map((c) => ({
      kind: "records" as const,
      id: c.id,
      at: c.createdAt,
      who: c.actorLabel,
      serial: Number(c.newSerial),
      lines: historyLines(c.added as never, c.removed as never),
      visibleAt: visibleEverywhereAt(c.createdAt, c.cacheSeconds),
    })),
    ...audits.map((a) => {
      const details = (a.details ?? {}) as Record<string, unknown>;
      const cacheSeconds = typeof details.cacheSeconds === "number" ? details.cacheSeconds : null;
      return {
        kind: "registry" as const,
        id: a.id,
        at: a.createdAt,
        who: a.actorLabel,
        action: a.action,
        summary: REGISTRY_ACTIONS[a.action]?.(details) ?? a.action,
        visibleAt: cacheSeconds === null ? null : visibleEverywhereAt(a.createdAt, cacheSeconds),
      };
    }),
  ];
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}

/** The stored last check as the usage rule reads it. */
function lastCheckOf(row: { result: unknown } | null): { usesOurs: boolean | "partly" | null; parentNs: string[]; result: DelegationCheckResult } | null {
  if (!row) return null;
  const result = row.result as DelegationCheckResult;
  return { usesOurs: result.usesOurs ?? null, parentNs: result.parent?.ns ?? [], result };
}

/**
 * What every page of a domain shows at the top: where it is registered, where it is in its
 * life, and whether its records are used. One permission check, a few primary-key reads.
 */
export async function domainHeader(principal: Principal, ref: DomainRef, client: Db = db(), now = new Date()) {
  const { domain, tenant, grant } = await requireDomainPermission(principal, ref.domain, "zone:read", client, ref.tenant);
  const [registration, delegation, lastCheckRow, zone] = await Promise.all([
    registryFor(domain.name).info(domain.name, { now }),
    client.delegation.findUnique({ where: { domainId: domain.id }, include: { nameservers: { orderBy: { position: "asc" } } } }),
    client.delegationCheck.findUnique({ where: { domainId: domain.id } }),
    client.zone.findUnique({ where: { domainId: domain.id }, select: { id: true, serial: true } }),
  ]);
  const { graceDays, restoreDays } = registryConfig();
  const lastCheck = lastCheckOf(lastCheckRow);
  return {
    domain: { id: domain.id, name: domain.name, tenantId: domain.tenantId },
    tenant,
    grant,
    registration,
    lifecycle: registration ? lifecycleSummary(registration, { graceDays, restoreDays }) : null,
    delegation: delegation ? { mode: delegation.mode, nameservers: delegation.nameservers.map((n) => n.hostname), hostedUntil: delegation.hostedUntil } : null,
    zone: zone ? { id: zone.id, serial: Number(zone.serial) } : null,
    lastCheck: lastCheck?.result ?? null,
    usage: recordsUsage({
      domain: domain.name,
      registration,
      delegationMode: delegation?.mode ?? null,
      hostedUntil: delegation?.hostedUntil ?? null,
      lastCheck,
      now,
    }),
  };
}

/** The header, and what the overview adds: the zone's size, hosts inside the domain, activity. */
export async function domainOverview(principal: Principal, ref: DomainRef, client: Db = db(), now = new Date()) {
  const header = await domainHeader(principal, ref, client, now);
  const { domain } = header;
  const [records, hosts, tlds, activity] = await Promise.all([
    header.zone ? client.record.count({ where: { zoneId: header.zone.id } }) : Promise.resolve(0),
    client.registryHost.findMany({ where: { domainId: domain.id }, orderBy: { name: "asc" } }),
    registryTlds(client),
    domainActivity(domain, header.zone?.id ?? null, 20, client),
  ]);
  return {
    ...header,
    zone: header.zone ? { ...header.zone, records } : null,
    /** Registered in a TLD our registry runs (or was: released names stay here with their zone). */
    registryTld: tldOf(domain.name, tlds) || null,
    ourNameservers: hostingConfig().nameservers,
    hosts: await Promise.all(hosts.map(async (h) => ({ name: h.name, ipv4: h.ipv4, ipv6: h.ipv6, usedBy: (await registryFor(h.name).hostInfo(h.name))?.usedBy ?? [] }))),
    activity,
  };
}

/** Runs the delegation check now (short timeouts) and keeps its result as the domain's last check. */
export async function runDelegationCheck(principal: Principal, ref: DomainRef, client: Db = db()): Promise<DelegationCheckResult> {
  const { domain } = await requireDomainPermission(principal, ref.domain, "zone:read", client, ref.tenant);
  return checkAndStore(domain, client);
}

export async function checkAndStore(domain: { id: string; name: string }, client: Db = db()): Promise<DelegationCheckResult> {
  const delegation = await client.delegation.findUnique({ where: { domainId: domain.id }, include: { nameservers: true } });
  const topology = await checkTopology(domain.name, client, delegation?.nameservers.map((n) => n.hostname) ?? []);
  const result = await checkDelegation({ domain: domain.name, ...topology });
  const row = { checkedAt: new Date(result.checkedAt), usesOurs: result.usesOurs === true ? true : result.usesOurs === null ? null : false, parentNs: result.parent?.ns ?? [], result: result as object };
  await client.delegationCheck.upsert({ where: { domainId: domain.id }, update: row, create: { domainId: domain.id, ...row } });
  return result;
}
