// The local registry against the real database and write path: registration with its zone,
// the delegation and glue it publishes in the parent zone, host objects, renewals, lock and
// auth code, DS, and the hand-over rule of a switch away from our nameservers.
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import { addYears } from "../../lib/registry/lifecycle.ts";
import { registryFor } from "../../lib/registry/local-registry.ts";
import { addTld } from "../../lib/registry/tlds.ts";
import { registerDomainFor, revealAuthCode, switchNameservers } from "../../lib/registrar/domains.ts";
import { hostDomainRegisteredElsewhere } from "../../lib/domains.ts";
import { servedZoneWhere } from "../../lib/zone/served.ts";
import { createTenant, TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { member } from "../helpers/people.ts";
import { createTld, parentRecords, parentSerial, registerFresh } from "../helpers/registry.ts";

const registry = registryFor();
const OURS = ["NS ns1.example.net.", "NS ns2.example.net."];
// Custom nameservers in these tests are checked by a pre-flight that would ask them over the
// network; `force` skips its verdict (the pre-flight has its own tests).
const force = { force: true, actor: TEST_ACTOR };

const isServed = async (zoneName: string, now: Date) =>
  (await db().zone.count({ where: { AND: [servedZoneWhere(now), { name: zoneName }] } })) === 1;

describe("registry TLDs", () => {
  it("a TLD is a platform zone with SOA and our NS, created once", async () => {
    const tld = uniqueLabel("tld");
    expect((await addTld(tld)).created).toBe(true);
    expect((await addTld(tld)).created).toBe(false);
    const zone = await db().zone.findUniqueOrThrow({ where: { name: tld }, include: { registryTld: true, records: true } });
    expect(zone.tenantId).toBeNull();
    expect(zone.registryTld?.delegationTtl).toBe(3600);
    expect(zone.records.map((r) => `${r.type} ${r.content}`).sort()).toEqual(OURS);
  });

  it("names under a registry TLD are registered, not just hosted", async () => {
    const tld = await createTld();
    const tenant = await createTenant();
    await expect(hostDomainRegisteredElsewhere({ tenantId: tenant.id, name: `x.${tld}` }, TEST_ACTOR)).rejects.toThrow(/register x\./);
  });
});

describe("registering", () => {
  it("creates the registration, the zone and the delegation at the parent, in one step", async () => {
    const tld = await createTld();
    const serialBefore = await parentSerial(tld);
    const now = new Date("2026-05-01T10:00:00Z");
    const { name, info, parentChanges, zoneCreated } = await registerFresh(tld, { years: 2, now });
    expect(zoneCreated).toBe(true);
    expect(info).toMatchObject({ status: "active", mode: "hosted", autoRenew: true, transferLock: true, delegated: true });
    expect(info.registeredAt).toEqual(now);
    expect(info.expiresAt).toEqual(addYears(now, 2));
    expect(info.statuses).toEqual(["clientTransferProhibited"]);
    // The parent zone delegates it to our nameservers, in one change set (one serial).
    expect(await parentRecords(tld, name)).toEqual(OURS);
    expect(parentChanges).toHaveLength(1);
    expect(parentChanges[0].serial).toBe(await parentSerial(tld));
    expect(parentChanges[0].serial).not.toBe(serialBefore);
    // A new delegation: resolvers may have cached the name's NXDOMAIN (the parent's negative TTL).
    expect(parentChanges[0].cacheSeconds).toBe(300);
    // Its zone: SOA + our NS, served.
    const zone = await db().zone.findUniqueOrThrow({ where: { name }, include: { records: true } });
    expect(zone.records.map((r) => `${r.type} ${r.content}`).sort()).toEqual(OURS);
    expect(await isServed(name, new Date())).toBe(true);
    const audit = await db().auditLog.findFirstOrThrow({ where: { target: name, action: "domain.register" } });
    expect(audit.details).toMatchObject({ years: 2, cacheSeconds: 300 });
  });

  it("refuses a taken name, bad years and names it does not offer, writing nothing", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    const other = await createTenant();
    const serial = await parentSerial(tld);
    await expect(registerDomainFor({ tenantId: other.id, name, years: 1 }, TEST_ACTOR)).rejects.toThrow(/already registered/);
    await expect(registerDomainFor({ tenantId: other.id, name: `new.${tld}`, years: 11 }, TEST_ACTOR)).rejects.toThrow(/1 to 10/);
    await expect(registerDomainFor({ tenantId: other.id, name: "shop.nowhere-tld", years: 1 }, TEST_ACTOR)).rejects.toThrow(/we do not register names under \.nowhere-tld/);
    expect(await db().domain.count({ where: { tenantId: other.id } })).toBe(0);
    expect(await parentSerial(tld)).toBe(serial);
    expect((await registry.check(name)).verdict).toBe("taken");
  });

  it("two tenants racing for one name: one gets it, the other is told it is taken", async () => {
    const tld = await createTld();
    const name = `${uniqueLabel("race")}.${tld}`;
    const [a, b] = [await createTenant(), await createTenant()];
    const results = await Promise.allSettled([a, b].map((t) => registerDomainFor({ tenantId: t.id, name, years: 1 }, TEST_ACTOR)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(ValidationError);
    expect(String(failure.reason.message)).toMatch(/already registered/);
  });
});

describe("renewing", () => {
  it("adds years to the expiry date, at most 10 years ahead", async () => {
    const tld = await createTld();
    const { name, info } = await registerFresh(tld);
    const renewed = await registry.renew(name, 3, { actor: TEST_ACTOR });
    expect(renewed.info.expiresAt).toEqual(addYears(info.expiresAt, 3));
    expect(renewed.parentChanges).toEqual([]);
    await expect(registry.renew(name, 7, { actor: TEST_ACTOR })).rejects.toThrow(/at most 6 years/);
    expect((await registry.info(name))!.expiresAt).toEqual(addYears(info.expiresAt, 3));
  });
});

describe("nameservers and host objects", () => {
  it("an in-domain nameserver needs an address; with it, its glue is published once", async () => {
    const tld = await createTld();
    const { name, tenantId } = await registerFresh(tld);
    await expect(
      switchNameservers(name, { ours: false, hosts: [{ name: `ns1.${name}` }, { name: "ns.other.net" }] }, force),
    ).rejects.toThrow(new RegExp(`ns1\\.${name.replace(/\./g, "\\.")} is inside ${name.replace(/\./g, "\\.")}: give its IPv4`));

    const done = await switchNameservers(
      name,
      { ours: false, hosts: [{ name: `ns1.${name}`, addresses: ["192.0.2.53", "2001:DB8::53"] }, { name: "ns.other.net" }] },
      force,
    );
    expect(done.result.info.mode).toBe("external");
    expect(await parentRecords(tld, name)).toEqual([`NS ns.other.net.`, `NS ns1.${name}.`]);
    expect(await parentRecords(tld, `ns1.${name}`)).toEqual(["A 192.0.2.53", "AAAA 2001:db8::53"]);
    // One change set at the parent, and "visible everywhere" after the old NS TTL (the TLD's 3600 s).
    expect(done.result.parentChanges).toEqual([expect.objectContaining({ zone: tld, cacheSeconds: 3600 })]);

    // A second domain of the same tenant uses the same host: the glue is still there once.
    const second = await registerFresh(tld, { tenantId });
    await switchNameservers(second.name, { ours: false, hosts: [{ name: `ns1.${name}` }, { name: "ns.other.net" }] }, force);
    expect(await parentRecords(tld, `ns1.${name}`)).toEqual(["A 192.0.2.53", "AAAA 2001:db8::53"]);
    expect((await registry.hostInfo(`ns1.${name}`))!.usedBy).toEqual([name, second.name].sort());

    // A host in use cannot be deleted; its new addresses change the glue for both.
    await expect(registry.deleteHost(`ns1.${name}`, { actor: TEST_ACTOR })).rejects.toThrow(ConflictError);
    await registry.updateHost(`ns1.${name}`, ["192.0.2.54"], { actor: TEST_ACTOR });
    expect(await parentRecords(tld, `ns1.${name}`)).toEqual(["A 192.0.2.54"]);

    // Both back to ours: the glue is no longer used, so no longer published; then it can go.
    await switchNameservers(name, { ours: true }, force);
    expect(await parentRecords(tld, `ns1.${name}`)).toEqual(["A 192.0.2.54"]);
    await switchNameservers(second.name, { ours: true }, force);
    expect(await parentRecords(tld, `ns1.${name}`)).toEqual([]);
    expect(await parentRecords(tld, name)).toEqual(OURS);
    await registry.deleteHost(`ns1.${name}`, { actor: TEST_ACTOR });
    expect(await registry.hostInfo(`ns1.${name}`)).toBeNull();
  });

  it("hosts outside the registry get no glue and take no address; another tenant's host is theirs", async () => {
    const tld = await createTld();
    const mine = await registerFresh(tld);
    const theirs = await registerFresh(tld);
    const serial = await parentSerial(tld);
    await expect(
      switchNameservers(mine.name, { ours: false, hosts: [{ name: "ns1.other.net", addresses: ["192.0.2.1"] }, { name: "ns2.other.net" }] }, force),
    ).rejects.toThrow(/outside our registry: it gets no glue/);
    await expect(
      switchNameservers(mine.name, { ours: false, hosts: [{ name: `ns1.${theirs.name}`, addresses: ["192.0.2.1"] }, { name: "ns2.other.net" }] }, force),
    ).rejects.toThrow(/only its holder can set its addresses/);
    await expect(
      switchNameservers(mine.name, { ours: false, hosts: [{ name: `ns1.${theirs.name}` }, { name: "ns2.other.net" }] }, force),
    ).rejects.toThrow(/does not exist in the registry/);
    await expect(
      switchNameservers(mine.name, { ours: false, hosts: [{ name: `ns1.unregistered.${tld}` }, { name: "ns2.other.net" }] }, force),
    ).rejects.toThrow(/unregistered\..* is not registered/);
    await expect(switchNameservers(mine.name, { ours: false, hosts: [{ name: "ns1.other.net" }] }, force)).rejects.toThrow(/2 to 13/);
    await expect(
      switchNameservers(mine.name, { ours: false, hosts: [{ name: "ns1.other.net" }, { name: "NS1.other.net." }] }, force),
    ).rejects.toThrow(/listed twice/);
    expect(await parentSerial(tld)).toBe(serial); // nothing written

    await switchNameservers(mine.name, { ours: false, hosts: [{ name: "ns1.other.net" }, { name: "ns2.other.net" }] }, force);
    expect(await parentRecords(tld, mine.name)).toEqual(["NS ns1.other.net.", "NS ns2.other.net."]);
    expect(await db().record.count({ where: { zone: { name: tld }, name: { endsWith: "other.net" } } })).toBe(0);
  });

  it("naming exactly our nameservers is choosing ours", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    const done = await switchNameservers(name, { ours: false, hosts: [{ name: "ns2.example.net" }, { name: "ns1.example.net" }] }, force);
    expect(done.result.info.mode).toBe("hosted");
  });
});

describe("switching away and back: the hand-over", () => {
  it("keeps serving for the parent's NS TTL plus the margin, and serves again at once when switched back", async () => {
    const tld = await createTld({ delegationTtl: 600 });
    const { name } = await registerFresh(tld);
    const now = new Date();
    await switchNameservers(name, { ours: false, hosts: [{ name: "ns1.other.net" }, { name: "ns2.other.net" }] }, { ...force, now });
    const delegation = await db().delegation.findFirstOrThrow({ where: { domain: { name } } });
    expect(delegation.hostedUntil!.getTime()).toBe(now.getTime() + (600 + 300) * 1000);
    // Records stay, the zone stays; served until hostedUntil, then not.
    expect(await db().zone.count({ where: { name } })).toBe(1);
    expect(await isServed(name, new Date(now.getTime() + 899_000))).toBe(true);
    expect(await isServed(name, new Date(now.getTime() + 901_000))).toBe(false);

    await switchNameservers(name, { ours: true }, force);
    expect(await isServed(name, new Date(now.getTime() + 901_000))).toBe(true);
    expect((await db().delegation.findFirstOrThrow({ where: { domain: { name } } })).hostedUntil).toBeNull();
  });

  it("switching back after the zone was removed creates a fresh zone", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    await switchNameservers(name, { ours: false, hosts: [{ name: "ns1.other.net" }, { name: "ns2.other.net" }] }, force);
    await db().$transaction(async (tx) => {
      const { removeZoneInTransaction } = await import("../../lib/zone/change-set.ts");
      const zone = await tx.zone.findUniqueOrThrow({ where: { name } });
      await removeZoneInTransaction(tx, zone.id, TEST_ACTOR);
    });
    const back = await switchNameservers(name, { ours: true }, force);
    expect(back.zoneCreated).toBe(true);
    expect(await db().zone.count({ where: { name } })).toBe(1);
  });
});

describe("lock, auth code and DS", () => {
  it("the transfer lock is on by default and can be turned off and on", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    expect((await registry.setTransferLock(name, false, { actor: TEST_ACTOR })).info).toMatchObject({ transferLock: false, statuses: ["ok"] });
    expect((await registry.setTransferLock(name, true, { actor: TEST_ACTOR })).info.transferLock).toBe(true);
  });

  it("the auth code is stored encrypted; owners and admins reveal it (audited), others cannot", async () => {
    const tld = await createTld();
    const tenant = await createTenant();
    const { name } = await registerFresh(tld, { tenantId: tenant.id });
    const row = await db().registration.findFirstOrThrow({ where: { domain: { name } } });
    const code = await registry.authCode(name);
    expect(row.authCodeCipher).not.toContain(code);
    const ref = { tenant: tenant.slug, domain: name };
    const owner = (await member(tenant.id, "owner")).principal;
    const editor = (await member(tenant.id, "editor")).principal;
    expect(await revealAuthCode(owner, ref)).toBe(code);
    await expect(revealAuthCode(editor, ref)).rejects.toThrow(/your role \(editor\) cannot/);
    const outsider = (await member((await createTenant()).id, "owner")).principal;
    await expect(revealAuthCode(outsider, ref)).rejects.toThrow(NotFoundError);
    const reveals = await db().auditLog.findMany({ where: { target: name, action: "domain.authcode.reveal" } });
    expect(reveals.map((r) => r.actorLabel)).toEqual([owner.email]);
    const fresh = await registry.regenerateAuthCode(name, { actor: TEST_ACTOR });
    expect(fresh).not.toBe(code);
    expect(await registry.authCode(name)).toBe(fresh);
  });

  it("DS records are published at the parent beside the delegation, canonical, and removable", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    const digest = "a".repeat(64);
    await expect(registry.setDs(name, ["12345 13 1 " + "a".repeat(40)], { actor: TEST_ACTOR })).rejects.toThrow(/SHA-1/);
    await registry.setDs(name, [`12345 13 2 ${digest}`], { actor: TEST_ACTOR });
    expect(await parentRecords(tld, name)).toEqual([`DS 12345 13 2 ${digest.toUpperCase()}`, ...OURS]);
    await registry.setDs(name, [], { actor: TEST_ACTOR });
    expect(await parentRecords(tld, name)).toEqual(OURS);
  });
});

describe("deleting and restoring", () => {
  it("delete removes the delegation (records kept) and restore brings it back", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    const deleted = await registry.delete(name, { actor: TEST_ACTOR });
    expect(deleted.info).toMatchObject({ status: "redemption", delegated: false, statuses: ["redemptionPeriod", "pendingDelete", "clientTransferProhibited"] });
    expect(await parentRecords(tld, name)).toEqual([]);
    expect(await db().record.count({ where: { zone: { name } } })).toBe(2);
    await expect(registry.setNameservers(name, { ours: true }, { actor: TEST_ACTOR })).rejects.toThrow(/restore it/);
    const restored = await registry.restore(name, 1, { actor: TEST_ACTOR });
    expect(restored.info.status).toBe("active");
    expect(await parentRecords(tld, name)).toEqual(OURS);
  });

  it("a domain whose host other domains use cannot be deleted", async () => {
    const tld = await createTld();
    const { name, tenantId } = await registerFresh(tld);
    const other = await registerFresh(tld, { tenantId });
    await switchNameservers(other.name, { ours: false, hosts: [{ name: `ns1.${name}`, addresses: ["192.0.2.7"] }, { name: "ns.other.net" }] }, force);
    await expect(registry.delete(name, { actor: TEST_ACTOR })).rejects.toThrow(/still a nameserver of/);
  });
});

describe("regressions from review", () => {
  it("a released name's hosts go with it: the next holder creates its own, other delegations lose the old glue", async () => {
    const tld = await createTld();
    const first = await createTenant();
    const at = new Date("2040-01-01T00:00:00Z");
    const a = await registerFresh(tld, { tenantId: first.id, now: at });
    const b = await registerFresh(tld, { tenantId: first.id, now: at });
    await switchNameservers(b.name, { ours: false, hosts: [{ name: `ns1.${a.name}`, addresses: ["192.0.2.7"] }, { name: "ns.other.net" }] }, force);
    expect(await parentRecords(tld, `ns1.${a.name}`)).toEqual(["A 192.0.2.7"]);
    await registry.setAutoRenew(a.name, false, { actor: TEST_ACTOR });
    await registry.setAutoRenew(b.name, false, { actor: TEST_ACTOR });
    await registry.renew(b.name, 5, { actor: TEST_ACTOR, now: at });
    const { tick } = await import("../../lib/registry/scheduler.ts");
    await tick(new Date(at.getTime() + 430 * 86_400_000), { tlds: [tld] });
    expect(await registry.info(a.name)).toBeNull(); // released
    expect(await registry.hostInfo(`ns1.${a.name}`)).toBeNull();
    expect(await parentRecords(tld, `ns1.${a.name}`)).toEqual([]); // b's delegation names it, without glue now
    expect(await parentRecords(tld, b.name)).toEqual(["NS ns.other.net.", `NS ns1.${a.name}.`]);
    // The first holder lets the zone go; a new holder registers the name and makes the host its own.
    await db().$transaction(async (tx) => {
      const { removeZoneInTransaction } = await import("../../lib/zone/change-set.ts");
      await removeZoneInTransaction(tx, (await tx.zone.findUniqueOrThrow({ where: { name: a.name } })).id, TEST_ACTOR);
    });
    const second = await createTenant();
    await registerDomainFor({ tenantId: second.id, name: a.name, years: 1 }, TEST_ACTOR);
    await switchNameservers(a.name, { ours: false, hosts: [{ name: `ns1.${a.name}`, addresses: ["198.51.100.1"] }, { name: "ns.other.net" }] }, force);
    expect(await registry.hostInfo(`ns1.${a.name}`)).toMatchObject({ domain: a.name, ipv4: ["198.51.100.1"] });
    expect(await parentRecords(tld, `ns1.${a.name}`)).toEqual(["A 198.51.100.1"]);
  });

  it("our own nameservers inside a TLD get their glue from the start, before any registration", async () => {
    const saved = { NS_NAMES: process.env.NS_NAMES, NS_ADDRESSES: process.env.NS_ADDRESSES };
    const tld = uniqueLabel("tld");
    Object.assign(process.env, { NS_NAMES: `ns1.dns.${tld},ns2.dns.${tld}`, NS_ADDRESSES: `ns1.dns.${tld}=192.0.2.201,ns2.dns.${tld}=2001:db8::202` });
    try {
      await addTld(tld);
      expect(await parentRecords(tld, `ns1.dns.${tld}`)).toEqual(["A 192.0.2.201"]);
      expect(await parentRecords(tld, `ns2.dns.${tld}`)).toEqual(["AAAA 2001:db8::202"]);
      expect((await registry.check(`dns.${tld}`)).verdict).toBe("reserved");
      // Without an address for one of them, the TLD cannot be set up: its delegations would be lame.
      process.env.NS_ADDRESSES = `ns1.dns.${tld}=192.0.2.201`;
      await expect(addTld(`x${tld}`)).resolves.toMatchObject({ created: true }); // outside x<tld>: no glue needed
      await expect(addTld(tld)).rejects.toThrow(/ns2\.dns\..* is inside the registry TLD .*: set its address in NS_ADDRESSES/);
    } finally {
      Object.assign(process.env, saved);
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    }
  });

  it("restoring a domain whose zone was removed creates a fresh zone, so the delegation is not lame", async () => {
    const tld = await createTld();
    const tenant = await createTenant();
    const { name } = await registerFresh(tld, { tenantId: tenant.id });
    // Deleted two hours ago: the hand-over is over, so the zone may be removed.
    await registry.delete(name, { actor: TEST_ACTOR, now: new Date(Date.now() - 2 * 3_600_000) });
    const owner = (await member(tenant.id, "owner")).principal;
    const { removeDomain } = await import("../../lib/domains.ts");
    await removeDomain(owner, tenant.slug, name, name);
    expect(await db().zone.count({ where: { name } })).toBe(0);
    const { restoreDomain } = await import("../../lib/registrar/domains.ts");
    await restoreDomain(owner, { tenant: tenant.slug, domain: name }, 1);
    expect(await parentRecords(tld, name)).toEqual(OURS);
    expect(await isServed(name, new Date())).toBe(true);
  });

  it("a zone cannot be removed while resolvers may still hold the delegation to it", async () => {
    const tld = await createTld();
    const tenant = await createTenant();
    const { name } = await registerFresh(tld, { tenantId: tenant.id });
    await switchNameservers(name, { ours: false, hosts: [{ name: "ns1.other.net" }, { name: "ns2.other.net" }] }, force);
    const owner = (await member(tenant.id, "owner")).principal;
    const { removeDomain } = await import("../../lib/domains.ts");
    await expect(removeDomain(owner, tenant.slug, name, name)).rejects.toThrow(/may still use the previous delegation to our nameservers until/);
    expect(await db().zone.count({ where: { name } })).toBe(1);
  });

  it("hosts that could never be named are refused before any pre-flight query", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    const started = Date.now();
    await expect(switchNameservers(name, { ours: false, hosts: [{ name: "bad name!" }, { name: "ns2.other.net" }] }, { actor: TEST_ACTOR })).rejects.toBeInstanceOf(ValidationError);
    await expect(switchNameservers(name, { ours: false, hosts: [{ name: "ns1.other.net" }] }, { actor: TEST_ACTOR })).rejects.toThrow(/2 to 13/);
    expect(Date.now() - started).toBeLessThan(5000); // no network timeouts were waited for
  });

  it("a tick run ahead of time does not keep a zone served by the real clock's nameservers for that long", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    await registry.setAutoRenew(name, false, { actor: TEST_ACTOR });
    const { tick } = await import("../../lib/registry/scheduler.ts");
    await tick(new Date(Date.now() + 400 * 86_400_000), { tlds: [tld] });
    const delegation = await db().delegation.findFirstOrThrow({ where: { domain: { name } } });
    expect(delegation.hostedUntil!.getTime()).toBeLessThanOrEqual(Date.now() + (3600 + 300) * 1000);
  });

  it("a new delegation TTL for an existing TLD is applied to every delegation in it", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    await addTld(tld, { delegationTtl: 900 });
    const zone = await db().zone.findUniqueOrThrow({ where: { name: tld } });
    const records = await db().record.findMany({ where: { zoneId: zone.id, name } });
    expect(records.map((r) => r.ttl)).toEqual([900, 900]);
    expect((await registry.info(name))!.delegationTtl).toBe(900);
  });

  it("a released name whose previous holder keeps its zone is available to that holder only", async () => {
    const tld = await createTld();
    const holder = await createTenant();
    const at = new Date("2041-01-01T00:00:00Z");
    const { name } = await registerFresh(tld, { tenantId: holder.id, now: at });
    await registry.setAutoRenew(name, false, { actor: TEST_ACTOR });
    const { tick } = await import("../../lib/registry/scheduler.ts");
    await tick(new Date(at.getTime() + 430 * 86_400_000), { tlds: [tld] });
    expect((await registry.check(name, { forTenantId: holder.id })).verdict).toBe("available");
    expect(await registry.check(name, { forTenantId: (await createTenant()).id })).toMatchObject({ verdict: "taken", reason: expect.stringMatching(/keeps its zone/) });
  });
});
