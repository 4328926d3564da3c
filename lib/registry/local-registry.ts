// The local registry: the TLDs this installation runs itself (lib/registry/tlds.ts). Its data
// is ours: Registration rows (domain objects), RegistryHost rows (host objects), Delegation rows
// (which nameservers a registration names), and the parent zones, which publish() keeps in line
// with them through the write path.
//
// Every action runs in one transaction under the registry lock (lockRegistry): it checks, writes
// the registration data, publishes the parent-zone change set and writes its audit entry, or
// does nothing at all. An action on a tenant's domain first passes the tenant's gate
// (lib/tenancy/tenant-writes.ts, its row locked): a suspended tenant's domains change only by
// a platform admin's hand or the registry's own clock (advance: expiry, grace, release).
import { db, type Db } from "../db/client.ts";
import { hostingConfig, registryConfig } from "../config.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { normalizeAbsoluteName } from "../dns/names.ts";
import { validateRecord } from "../records/record-input.ts";
import { notifyZoneChanged, WRITE_TRANSACTION, type Actor } from "../zone/change-set.ts";
import { decryptAuthCode, encryptAuthCode, generateAuthCode } from "./auth-code.ts";
import { parseAddresses, planHosts } from "./hosts.ts";
import { addDays, addSeconds, addYears, dueTransition, graceEndsAt, renewedExpiry, restoredExpiry, validYears, type LifecycleSettings } from "./lifecycle.ts";
import { checkRegistrableName, registrableAncestor, tldOf, type NameCheck } from "./names.ts";
import { lockRegistry, publish } from "./publish.ts";
import type { HostInfo, NameserverChoice, ParentChange, RegistrationInfo, Registry, RegistryContext, RegistryResult, Tx } from "./registry.ts";
import { registryTlds } from "./tlds.ts";
import { audit, actorFields } from "../audit/audit.ts";
import { tenantForWrite } from "../tenancy/tenant-writes.ts";

type DomainWithRegistration = NonNullable<Awaited<ReturnType<typeof loadDomain>>>;

async function loadDomain(tx: Tx | Db, name: string) {
  return tx.domain.findUnique({
    where: { name },
    include: {
      registration: { include: { registryTld: true } },
      delegation: { include: { nameservers: { orderBy: { position: "asc" } } } },
    },
  });
}

function normalized(name: string): string {
  try {
    return normalizeAbsoluteName(name);
  } catch {
    throw new NotFoundError(`domain ${name}`);
  }
}

/** The registration of `name`, or NotFoundError (also for a domain only hosted here). */
async function requireRegistration(tx: Tx | Db, name: string) {
  const domain = await loadDomain(tx, normalized(name));
  if (!domain?.registration) throw new NotFoundError(`registration of ${name}`);
  return domain as DomainWithRegistration & { registration: NonNullable<DomainWithRegistration["registration"]> };
}

/**
 * Whether a domain's zone is served depends on its delegation and registration status
 * (lib/zone/served.ts), so when the registry changes those, the nameservers must look again
 * (and arm or drop their hand-over timer), although no record of the zone changed.
 */
async function notifyDomainZone(tx: Tx, domainId: string): Promise<void> {
  const zone = await tx.zone.findUnique({ where: { domainId }, select: { id: true } });
  if (zone) await notifyZoneChanged(tx, zone.id, 0);
}

/**
 * When a hand-over that starts at `now` ends: the parent's NS TTL plus the margin. Counted from
 * the real time when `now` is ahead of it (`registry tick --at` a year ahead must not keep a
 * zone served for a year by nameservers that run on the real clock).
 */
function handoverEnd(now: Date, delegationTtl: number): Date {
  const start = Math.min(now.getTime(), Date.now());
  return addSeconds(new Date(start), delegationTtl + registryConfig().handoverMarginSeconds);
}

function settings(): LifecycleSettings {
  const { graceDays, restoreDays } = registryConfig();
  return { graceDays, restoreDays };
}

/** Domains whose delegation names `host`. */
async function hostUsers(tx: Tx | Db, host: string): Promise<string[]> {
  const ns = await tx.delegationNameserver.findMany({
    where: { hostname: host, delegation: { mode: "external" } },
    select: { delegation: { select: { domain: { select: { name: true } } } } },
  });
  const users = ns.map((n) => n.delegation.domain.name);
  if (hostingConfig().nameservers.includes(host)) users.push("(every domain on our nameservers)");
  return users.sort();
}

export class LocalRegistry implements Registry {
  readonly kind = "local";

  constructor(private readonly client: Db = db()) {}

  /** Runs `work` in the caller's transaction or a new one, under the registry lock. */
  private async write<T>(ctx: { tx?: Tx }, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (ctx.tx) {
      await lockRegistry(ctx.tx);
      return work(ctx.tx);
    }
    return this.client.$transaction(async (tx) => {
      await lockRegistry(tx);
      return work(tx);
    }, WRITE_TRANSACTION);
  }

  /** Refuses an action on a domain of a suspended tenant (unless the actor is exempt); locks the tenant's row. */
  private async gate(tx: Tx, domain: { tenantId: string }, actor: Actor): Promise<void> {
    await tenantForWrite(tx, domain.tenantId, actor);
  }

  /**
   * Audits a registry action. With the parent-zone changes it made, the entry also says how
   * long resolvers may keep the previous delegation (the domain's "visible everywhere by").
   */
  private async audit(tx: Tx, domain: { tenantId: string; name: string }, actor: Actor, action: string, details: Record<string, unknown> = {}, changes: ParentChange[] = []) {
    const parent = changes.length ? { serials: changes.map((c) => `${c.zone}:${c.serial}`), cacheSeconds: Math.max(...changes.map((c) => c.cacheSeconds)) } : {};
    const admin = actor.platformAdmin ? { platformAdmin: true } : {};
    await audit(tx, { tenantId: domain.tenantId, ...actorFields(actor), action, target: domain.name, details: { source: actor.source, ...admin, ...details, ...parent } as object });
  }

  /** Domains whose names hold the platform's nameservers: not for sale. */
  private reservedDomains(tlds: string[]): string[] {
    return hostingConfig().nameservers.map((ns) => registrableAncestor(ns, tldOf(ns, tlds))).filter(Boolean);
  }

  /**
   * `forTenantId`: who asks. A name released lately whose previous holder still keeps its zone
   * here is available to that holder only (it takes it back with its records).
   */
  async check(input: string, ctx: { tx?: Tx; forTenantId?: string } = {}): Promise<NameCheck> {
    const client = ctx.tx ?? this.client;
    const tlds = await registryTlds(client);
    const result = checkRegistrableName(input, tlds, this.reservedDomains(tlds));
    if (result.verdict !== "available") return result;
    const domain = await client.domain.findUnique({ where: { name: result.name }, include: { registration: true, zone: { select: { id: true } } } });
    if (domain?.registration) return { ...result, verdict: "taken", reason: `${result.unicode} is already registered` };
    if (domain?.zone && domain.tenantId !== ctx.forTenantId) {
      return { ...result, verdict: "taken", reason: `${result.unicode} was released recently and its previous holder still keeps its zone here; it can be registered once that zone is removed` };
    }
    return result;
  }

  async validateNameservers(input: string, choice: NameserverChoice, ctx: { tx?: Tx } = {}): Promise<void> {
    if (choice.ours) return;
    const client = ctx.tx ?? this.client;
    await planHosts(client, await requireRegistration(client, input), choice.hosts, await registryTlds(client));
  }

  async info(input: string, ctx: { tx?: Tx; now?: Date } = {}): Promise<RegistrationInfo | null> {
    const domain = await loadDomain(ctx.tx ?? this.client, normalized(input));
    if (!domain?.registration) return null;
    return this.describe(ctx.tx ?? this.client, domain);
  }

  private async describe(client: Tx | Db, domain: DomainWithRegistration): Promise<RegistrationInfo> {
    const reg = domain.registration!;
    const mode = domain.delegation?.mode === "external" ? "external" : "hosted";
    const names = mode === "hosted" ? hostingConfig().nameservers : (domain.delegation?.nameservers ?? []).map((n) => n.hostname);
    const hosts = await client.registryHost.findMany({ where: { name: { in: names } } });
    const statuses: string[] = [];
    if (reg.status === "redemption") statuses.push("redemptionPeriod", "pendingDelete");
    else if (reg.status === "grace") statuses.push("autoRenewPeriod");
    if (reg.transferLock) statuses.push("clientTransferProhibited");
    if (statuses.length === 0) statuses.push("ok");
    return {
      name: domain.name,
      tld: reg.tld,
      status: reg.status,
      statuses,
      registeredAt: reg.registeredAt,
      expiresAt: reg.expiresAt,
      graceEndsAt: graceEndsAt(reg.expiresAt, settings()),
      releaseAt: reg.releaseAt,
      autoRenew: reg.autoRenew,
      transferLock: reg.transferLock,
      mode,
      nameservers: names.map((name) => {
        const host = hosts.find((h) => h.name === name);
        return { name, ipv4: host?.ipv4 ?? [], ipv6: host?.ipv6 ?? [] };
      }),
      delegated: reg.status !== "redemption",
      ds: reg.ds,
      delegationTtl: reg.registryTld.delegationTtl,
      updatedAt: reg.updatedAt,
    };
  }

  private async result(tx: Tx, name: string, parentChanges: ParentChange[]): Promise<RegistryResult> {
    return { info: (await this.info(name, { tx }))!, parentChanges };
  }

  /**
   * Writes the delegation (mode and host list) of a registration and returns the host names to
   * republish (old and new). Switching away from our nameservers starts a hand-over: we keep
   * serving the zone while resolvers may still hold the old delegation (lib/zone/served.ts).
   */
  private async writeDelegation(tx: Tx, domain: DomainWithRegistration, choice: NameserverChoice, now: Date): Promise<string[]> {
    const tlds = await registryTlds(tx);
    const ours = hostingConfig().nameservers;
    const before = domain.delegation?.mode === "external" ? domain.delegation.nameservers.map((n) => n.hostname) : ours;
    let mode: "hosted" | "external" = "hosted";
    let hostnames = ours;
    if (!choice.ours) {
      const plan = await planHosts(tx, domain, choice.hosts, tlds);
      // Naming exactly our nameservers is choosing them.
      const same = plan.hostnames.length === ours.length && plan.hostnames.every((h) => ours.includes(h));
      if (!same) {
        mode = "external";
        hostnames = plan.hostnames;
        for (const h of plan.upserts) {
          await tx.registryHost.upsert({ where: { name: h.name }, update: { ipv4: h.ipv4, ipv6: h.ipv6 }, create: h });
        }
      }
    }
    const wasServedByUs = domain.delegation?.mode === "hosted" && domain.registration?.status !== "redemption";
    const delegationTtl = domain.registration?.registryTld.delegationTtl ?? registryConfig().delegationTtl;
    const hostedUntil =
      mode === "hosted"
        ? null
        : wasServedByUs
          ? handoverEnd(now, delegationTtl)
          : (domain.delegation?.hostedUntil ?? null);
    const nameservers = mode === "external" ? hostnames.map((hostname, position) => ({ hostname, position })) : ours.map((hostname, position) => ({ hostname, position }));
    await tx.delegation.upsert({
      where: { domainId: domain.id },
      update: { mode, hostedUntil, nameservers: { deleteMany: {}, create: nameservers } },
      create: { domainId: domain.id, mode, hostedUntil, nameservers: { create: nameservers } },
    });
    await notifyDomainZone(tx, domain.id);
    // The delegation is registration data: its change is the registration's "last changed" (RDAP, WHOIS).
    await tx.registration.updateMany({ where: { domainId: domain.id }, data: { updatedAt: now } });
    return [...new Set([...before, ...hostnames])];
  }

  async create(
    request: { name: string; years: number; domainId: string; tenantId: string; nameservers: NameserverChoice },
    ctx: RegistryContext,
  ): Promise<RegistryResult> {
    const now = ctx.now ?? new Date();
    return this.write(ctx, async (tx) => {
      const check = await this.check(request.name, { tx, forTenantId: request.tenantId });
      if (check.verdict !== "available") throw new ValidationError([{ path: ["name"], message: check.reason }]);
      const invalidYears = validYears(request.years);
      if (invalidYears) throw new ValidationError([{ path: ["years"], message: invalidYears }]);
      const domain = await tx.domain.findUnique({ where: { id: request.domainId } });
      if (!domain || domain.name !== check.name || domain.tenantId !== request.tenantId) throw new NotFoundError("domain");
      await this.gate(tx, domain, ctx.actor);
      await tx.registration.create({
        data: {
          domainId: domain.id,
          tld: check.tld,
          registeredAt: now,
          expiresAt: addYears(now, request.years),
          authCodeCipher: encryptAuthCode(generateAuthCode()),
        },
      });
      const loaded = (await loadDomain(tx, domain.name))!;
      const hosts = await this.writeDelegation(tx, loaded, request.nameservers, now);
      const changes = await publish(tx, { domains: [domain.name], hosts }, ctx.actor);
      await this.audit(tx, domain, ctx.actor, "domain.register", { years: request.years, nameservers: request.nameservers.ours ? "ours" : hosts }, changes);
      return this.result(tx, domain.name, changes);
    });
  }

  async renew(name: string, years: number, ctx: RegistryContext): Promise<RegistryResult> {
    const now = ctx.now ?? new Date();
    return this.write(ctx, async (tx) => {
      const domain = await requireRegistration(tx, name);
      await this.gate(tx, domain, ctx.actor);
      const renewed = renewedExpiry(domain.registration, years, now);
      if ("error" in renewed) throw new ValidationError([{ path: ["years"], message: renewed.error }]);
      const status = renewed.expiresAt > now ? "active" : domain.registration.status;
      await tx.registration.update({ where: { id: domain.registration.id }, data: { expiresAt: renewed.expiresAt, status } });
      await this.audit(tx, domain, ctx.actor, "domain.renew", { years, expiresAt: renewed.expiresAt.toISOString() });
      return this.result(tx, domain.name, []);
    });
  }

  async setNameservers(name: string, choice: NameserverChoice, ctx: RegistryContext): Promise<RegistryResult> {
    const now = ctx.now ?? new Date();
    return this.write(ctx, async (tx) => {
      const domain = await requireRegistration(tx, name);
      await this.gate(tx, domain, ctx.actor);
      if (domain.registration.status === "redemption") {
        throw new ConflictError(`${domain.name} is past its grace period and not delegated: restore it before changing its nameservers`);
      }
      const hosts = await this.writeDelegation(tx, domain, choice, now);
      const changes = await publish(tx, { domains: [domain.name], hosts }, ctx.actor);
      const after = (await loadDomain(tx, domain.name))!;
      await this.audit(tx, domain, ctx.actor, "domain.nameservers", { mode: after.delegation?.mode, nameservers: after.delegation?.nameservers.map((n) => n.hostname) }, changes);
      return this.result(tx, domain.name, changes);
    });
  }

  async setDs(name: string, ds: string[], ctx: RegistryContext): Promise<RegistryResult> {
    return this.write(ctx, async (tx) => {
      const domain = await requireRegistration(tx, name);
      await this.gate(tx, domain, ctx.actor);
      // The same schema as a DS record typed in a zone, so the stored form is canonical.
      const issues = [];
      const canonical: string[] = [];
      for (const [i, content] of ds.entries()) {
        const v = validateRecord({ name: "@", type: "DS", ttl: 3600, content }, domain.name, 3600);
        if (v.ok) canonical.push(v.record.content);
        else issues.push(...v.issues.map((x) => ({ ...x, path: ["ds", i] })));
      }
      if (issues.length) throw new ValidationError(issues);
      await tx.registration.update({ where: { id: domain.registration.id }, data: { ds: [...new Set(canonical)] } });
      const changes = await publish(tx, { domains: [domain.name] }, ctx.actor);
      await this.audit(tx, domain, ctx.actor, "domain.ds", { ds: canonical }, changes);
      return this.result(tx, domain.name, changes);
    });
  }

  async setTransferLock(name: string, locked: boolean, ctx: RegistryContext): Promise<RegistryResult> {
    return this.write(ctx, async (tx) => {
      const domain = await requireRegistration(tx, name);
      await this.gate(tx, domain, ctx.actor);
      await tx.registration.update({ where: { id: domain.registration.id }, data: { transferLock: locked } });
      await this.audit(tx, domain, ctx.actor, locked ? "domain.lock" : "domain.unlock");
      return this.result(tx, domain.name, []);
    });
  }

  async setAutoRenew(name: string, on: boolean, ctx: RegistryContext): Promise<RegistryResult> {
    return this.write(ctx, async (tx) => {
      const domain = await requireRegistration(tx, name);
      await this.gate(tx, domain, ctx.actor);
      await tx.registration.update({ where: { id: domain.registration.id }, data: { autoRenew: on } });
      await this.audit(tx, domain, ctx.actor, "domain.autorenew", { on });
      return this.result(tx, domain.name, []);
    });
  }

  async authCode(name: string, ctx: { tx?: Tx } = {}): Promise<string> {
    const domain = await loadDomain(ctx.tx ?? this.client, normalized(name));
    if (!domain?.registration) throw new NotFoundError(`registration of ${name}`);
    return decryptAuthCode(domain.registration.authCodeCipher);
  }

  async regenerateAuthCode(name: string, ctx: RegistryContext): Promise<string> {
    return this.write(ctx, async (tx) => {
      const domain = await requireRegistration(tx, name);
      await this.gate(tx, domain, ctx.actor);
      const code = generateAuthCode();
      await tx.registration.update({ where: { id: domain.registration.id }, data: { authCodeCipher: encryptAuthCode(code) } });
      await this.audit(tx, domain, ctx.actor, "domain.authcode.regenerate");
      return code;
    });
  }

  /** Puts the registration into redemption now: delegation removed, restorable for REGISTRY_RESTORE_DAYS. */
  async delete(name: string, ctx: RegistryContext): Promise<RegistryResult> {
    const now = ctx.now ?? new Date();
    return this.write(ctx, async (tx) => {
      const domain = await requireRegistration(tx, name);
      await this.gate(tx, domain, ctx.actor);
      if (domain.registration.status === "redemption") throw new ConflictError(`${domain.name} is already deleted (restorable until ${domain.registration.releaseAt?.toISOString().slice(0, 10)})`);
      // RFC 5731 §3.2.2: a domain whose hosts other domains still use cannot be deleted.
      const inside = await tx.registryHost.findMany({ where: { domainId: domain.id } });
      for (const host of inside) {
        const users = (await hostUsers(tx, host.name)).filter((u) => u !== domain.name);
        if (users.length) throw new ConflictError(`${host.name} (inside ${domain.name}) is still a nameserver of ${users.join(", ")}; change their nameservers first`);
      }
      return this.undelegate(tx, domain, addDays(now, settings().restoreDays), now, ctx.actor, "domain.delete");
    });
  }

  /** Enters redemption: the parent stops delegating the name (records are kept). */
  private async undelegate(tx: Tx, domain: DomainWithRegistration, releaseAt: Date, now: Date, actor: Actor, action: string): Promise<RegistryResult> {
    await tx.registration.update({ where: { id: domain.registration!.id }, data: { status: "redemption", releaseAt } });
    if (domain.delegation?.mode === "hosted") {
      // Resolvers may hold our delegation for its TTL: keep answering until then.
      await tx.delegation.update({ where: { id: domain.delegation.id }, data: { hostedUntil: handoverEnd(now, domain.registration!.registryTld.delegationTtl) } });
    }
    const hosts = domain.delegation?.mode === "external" ? domain.delegation.nameservers.map((n) => n.hostname) : hostingConfig().nameservers;
    const changes = await publish(tx, { domains: [domain.name], hosts }, actor);
    await notifyDomainZone(tx, domain.id);
    await this.audit(tx, domain, actor, action, { releaseAt: releaseAt.toISOString() }, changes);
    return this.result(tx, domain.name, changes);
  }

  async restore(name: string, years: number, ctx: RegistryContext): Promise<RegistryResult> {
    const now = ctx.now ?? new Date();
    return this.write(ctx, async (tx) => {
      const domain = await requireRegistration(tx, name);
      await this.gate(tx, domain, ctx.actor);
      if (domain.registration.status !== "redemption") throw new ConflictError(`${domain.name} is not in its restore period; nothing to restore`);
      const invalid = validYears(years);
      if (invalid) throw new ValidationError([{ path: ["years"], message: invalid }]);
      const expiresAt = restoredExpiry(domain.registration.expiresAt, years, now);
      await tx.registration.update({ where: { id: domain.registration.id }, data: { status: "active", releaseAt: null, expiresAt } });
      if (domain.delegation?.mode === "hosted") await tx.delegation.update({ where: { id: domain.delegation.id }, data: { hostedUntil: null } });
      const hosts = domain.delegation?.mode === "external" ? domain.delegation.nameservers.map((n) => n.hostname) : hostingConfig().nameservers;
      const changes = await publish(tx, { domains: [domain.name], hosts }, ctx.actor);
      await notifyDomainZone(tx, domain.id);
      await this.audit(tx, domain, ctx.actor, "domain.restore", { years, expiresAt: expiresAt.toISOString() }, changes);
      return this.result(tx, domain.name, changes);
    });
  }

  async hostInfo(input: string, ctx: { tx?: Tx } = {}): Promise<HostInfo | null> {
    const client = ctx.tx ?? this.client;
    let name: string;
    try {
      name = normalizeAbsoluteName(input);
    } catch {
      return null;
    }
    const host = await client.registryHost.findUnique({ where: { name }, include: { domain: { select: { name: true } } } });
    if (!host) return null;
    return { name, ipv4: host.ipv4, ipv6: host.ipv6, domain: host.domain?.name ?? null, usedBy: await hostUsers(client, name) };
  }

  async updateHost(input: string, addresses: string[], ctx: RegistryContext) {
    return this.write(ctx, async (tx) => {
      const host = await tx.registryHost.findUnique({ where: { name: normalized(input) } });
      if (!host) throw new NotFoundError(`host ${input}`);
      if (host.platform || host.domainId === null) throw new ValidationError([{ path: ["addresses"], message: `${host.name} is one of the platform's nameservers; its addresses are set by the operator (NS_ADDRESSES)` }]);
      await this.gate(tx, await tx.domain.findUniqueOrThrow({ where: { id: host.domainId } }), ctx.actor);
      const issues: { path: (string | number)[]; message: string }[] = [];
      const { ipv4, ipv6 } = parseAddresses(addresses, ["addresses"], issues);
      if (!issues.length && ipv4.length + ipv6.length === 0) issues.push({ path: ["addresses"], message: `${host.name} needs at least one address (or delete the host)` });
      if (issues.length) throw new ValidationError(issues);
      await tx.registryHost.update({ where: { name: host.name }, data: { ipv4, ipv6 } });
      const changes = await publish(tx, { hosts: [host.name] }, ctx.actor);
      const owner = await tx.domain.findUniqueOrThrow({ where: { id: host.domainId } });
      await this.audit(tx, owner, ctx.actor, "host.update", { host: host.name, ipv4, ipv6 }, changes);
      return { host: (await this.hostInfo(host.name, { tx }))!, parentChanges: changes };
    });
  }

  async deleteHost(input: string, ctx: RegistryContext): Promise<void> {
    await this.write(ctx, async (tx) => {
      const host = await tx.registryHost.findUnique({ where: { name: normalized(input) } });
      if (!host) throw new NotFoundError(`host ${input}`);
      if (host.platform || host.domainId === null) throw new ConflictError(`${host.name} is one of the platform's nameservers`);
      await this.gate(tx, await tx.domain.findUniqueOrThrow({ where: { id: host.domainId } }), ctx.actor);
      const users = await tx.delegationNameserver.findMany({
        where: { hostname: host.name, delegation: { mode: "external" } },
        select: { delegation: { select: { domain: { select: { name: true } } } } },
      });
      if (users.length) {
        throw new ConflictError(`${host.name} is still a nameserver of ${users.map((u) => u.delegation.domain.name).sort().join(", ")}; change their nameservers first`);
      }
      await tx.registryHost.delete({ where: { name: host.name } });
      await publish(tx, { hosts: [host.name] }, ctx.actor);
      const owner = await tx.domain.findUniqueOrThrow({ where: { id: host.domainId } });
      await this.audit(tx, owner, ctx.actor, "host.delete", { host: host.name });
    });
  }

  // --- Time-driven transitions (lib/registry/scheduler.ts) ---

  /**
   * Applies the transition due for one registration at `now`, if any (idempotent: a second
   * call, or a concurrent one from another instance, finds nothing left to do). Returns what it did.
   */
  async advance(domainName: string, now: Date, actor: Actor): Promise<string | null> {
    return this.write({}, async (tx) => {
      const domain = await loadDomain(tx, domainName);
      const reg = domain?.registration;
      if (!domain || !reg) return null;
      const due = dueTransition(reg, now, settings());
      if (!due) return null;
      switch (due.kind) {
        case "auto-renew":
          await tx.registration.update({ where: { id: reg.id }, data: { expiresAt: due.expiresAt, status: "active" } });
          await this.audit(tx, domain, actor, "domain.autorenew.renewed", { expiresAt: due.expiresAt.toISOString() });
          return `renewed automatically until ${due.expiresAt.toISOString().slice(0, 10)}`;
        case "enter-grace":
          await tx.registration.update({ where: { id: reg.id }, data: { status: "grace" } });
          await this.audit(tx, domain, actor, "domain.expire", { graceEndsAt: graceEndsAt(reg.expiresAt, settings()).toISOString() });
          return "expired: grace period";
        case "undelegate":
          await this.undelegate(tx, domain, due.releaseAt, now, actor, "domain.undelegate");
          return "grace period over: delegation removed";
        case "release":
          await this.release(tx, domain, actor);
          return "released";
      }
    });
  }

  /**
   * The end of the restore period: the registration is deleted and the name is available again.
   * The tenant keeps its domain entry and zone (records are never deleted without an explicit
   * action), marked as no longer delegated. Its host objects go with the registration: their
   * names are under a name nobody holds now, and the next holder of the name must not inherit
   * another's glue. Delegations of other domains that still name one of them lose its glue, as
   * when a nameserver's domain expires at any registry (their delegation check shows it).
   */
  private async release(tx: Tx, domain: DomainWithRegistration, actor: Actor) {
    const hosts = await tx.registryHost.findMany({ where: { domainId: domain.id } });
    const stillNamedBy = (await Promise.all(hosts.map((h) => hostUsers(tx, h.name)))).flat().filter((u) => u !== domain.name);
    await tx.registryHost.deleteMany({ where: { domainId: domain.id } });
    await tx.registration.delete({ where: { id: domain.registration!.id } });
    if (domain.delegation) {
      await tx.delegation.update({ where: { id: domain.delegation.id }, data: { mode: "none", nameservers: { deleteMany: {} } } });
    }
    const changes = await publish(tx, { domains: [domain.name], hosts: hosts.map((h) => h.name) }, actor);
    await notifyDomainZone(tx, domain.id);
    await this.audit(tx, domain, actor, "domain.release", { hostsDeleted: hosts.map((h) => h.name), stillNamedBy: [...new Set(stillNamedBy)] }, changes);
  }
}

let instance: LocalRegistry | null = null;

/** The registry that holds `name`'s TLD. One implementation today: ours. */
export function registryFor(_name?: string): LocalRegistry {
  return (instance ??= new LocalRegistry());
}
