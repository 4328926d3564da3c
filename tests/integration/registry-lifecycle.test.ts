// A registration's life with an injected clock: expiry, grace (still delegated), the delegation
// removed after grace (records kept, hand-over), restore, and release; auto-renewal; ticks that
// are idempotent and safe when two run at once.
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { addDays, addYears } from "../../lib/registry/lifecycle.ts";
import { registryFor } from "../../lib/registry/local-registry.ts";
import { tick } from "../../lib/registry/scheduler.ts";
import { registerDomainFor } from "../../lib/registrar/domains.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import { servedZoneWhere } from "../../lib/zone/served.ts";
import { createTenant, TEST_ACTOR } from "../helpers/factories.ts";
import { createTld, parentRecords, registerFresh } from "../helpers/registry.ts";

const registry = registryFor();
const OURS = ["NS ns1.example.net.", "NS ns2.example.net."];
const isServed = async (zoneName: string, now: Date) =>
  (await db().zone.count({ where: { AND: [servedZoneWhere(now), { name: zoneName }] } })) === 1;

/** Ticks `name`'s TLD at `now` (other files' TLDs are theirs), returning `name`'s transitions. */
async function tickFor(name: string, now: Date): Promise<string[]> {
  const report = await tick(now, { tlds: [name.slice(name.indexOf(".") + 1)] });
  return report.transitions.filter((t) => t.startsWith(`${name}:`)).map((t) => t.slice(name.length + 2));
}

describe("the lifecycle, with an injected clock", () => {
  it("expiry -> grace (still delegated) -> delegation removed, records kept -> restore", async () => {
    const tld = await createTld();
    const registeredAt = new Date("2030-01-15T12:00:00Z");
    const { name, zoneId } = await (async () => {
      const r = await registerFresh(tld, { now: registeredAt });
      const zone = await db().zone.findUniqueOrThrow({ where: { name: r.name } });
      return { ...r, zoneId: zone.id };
    })();
    await applyChangeSet(zoneId, { add: [{ name: "www", type: "A", ttl: 300, content: "192.0.2.80" }] }, TEST_ACTOR);
    await registry.setAutoRenew(name, false, { actor: TEST_ACTOR });
    const expiresAt = addYears(registeredAt, 1);

    expect(await tickFor(name, addDays(expiresAt, -1))).toEqual([]);
    expect(await tickFor(name, expiresAt)).toEqual(["expired: grace period"]);
    let info = (await registry.info(name))!;
    expect(info).toMatchObject({ status: "grace", delegated: true, statuses: ["autoRenewPeriod", "clientTransferProhibited"] });
    expect(info.graceEndsAt).toEqual(addDays(expiresAt, 30));
    expect(await parentRecords(tld, name)).toEqual(OURS);

    // The grace period ends: the parent stops delegating; the zone and its records stay.
    const graceEnd = addDays(expiresAt, 30);
    expect(await tickFor(name, addDays(graceEnd, -0.01))).toEqual([]);
    expect(await tickFor(name, graceEnd)).toEqual(["grace period over: delegation removed"]);
    info = (await registry.info(name))!;
    expect(info).toMatchObject({ status: "redemption", delegated: false });
    expect(info.releaseAt).toEqual(addDays(graceEnd, 30));
    expect(await parentRecords(tld, name)).toEqual([]);
    expect(await db().record.count({ where: { zoneId, type: "A" } })).toBe(1);
    // Resolvers may still hold the delegation for its TTL (+ margin): served until then, then
    // REFUSED. Counted from the real time: the nameservers run on the real clock, not on --at.
    const realNow = Date.now();
    expect(await isServed(name, new Date(realNow))).toBe(true);
    expect(await isServed(name, new Date(realNow + (3600 + 300 + 60) * 1000))).toBe(false);

    // Renewing is no longer possible; restoring is, and serves again at once.
    await expect(registry.renew(name, 1, { actor: TEST_ACTOR, now: addDays(graceEnd, 2) })).rejects.toThrow(/restore/);
    const restored = await registry.restore(name, 1, { actor: TEST_ACTOR, now: addDays(graceEnd, 2) });
    expect(restored.info.status).toBe("active");
    expect(restored.info.expiresAt).toEqual(addYears(expiresAt, 1));
    expect(await parentRecords(tld, name)).toEqual(OURS);
    expect(await isServed(name, addDays(graceEnd, 2))).toBe(true);
  });

  it("after the restore period the name is released: available again, the tenant keeps its zone", async () => {
    const tld = await createTld();
    const tenant = await createTenant();
    const registeredAt = new Date("2031-03-01T00:00:00Z");
    const { name } = await registerFresh(tld, { tenantId: tenant.id, now: registeredAt });
    await registry.setAutoRenew(name, false, { actor: TEST_ACTOR });
    // One tick long after: every step that is due happens, in order.
    const late = addDays(addYears(registeredAt, 1), 61);
    expect(await tickFor(name, late)).toEqual(["grace period over: delegation removed", "released"]);
    expect(await registry.info(name)).toBeNull();
    expect((await registry.check(name, { forTenantId: tenant.id })).verdict).toBe("available");
    const domain = await db().domain.findUniqueOrThrow({ where: { name }, include: { delegation: true, zone: true } });
    expect(domain.delegation?.mode).toBe("none");
    expect(domain.zone).not.toBeNull(); // nothing deleted without an explicit action
    expect(await isServed(name, addDays(late, 1))).toBe(false);
    expect(await db().auditLog.count({ where: { target: name, action: "domain.release" } })).toBe(1);

    // Another tenant cannot take it while the old zone is kept; its holder can take it back.
    const other = await createTenant();
    await expect(registerDomainFor({ tenantId: other.id, name, years: 1 }, TEST_ACTOR)).rejects.toThrow(/still keeps its zone/);
    const again = await registerDomainFor({ tenantId: tenant.id, name, years: 1 }, TEST_ACTOR);
    expect(again.zoneCreated).toBe(false);
    expect(again.info.status).toBe("active");
  });

  it("auto-renew renews at expiry, from the expiry date", async () => {
    const tld = await createTld();
    const registeredAt = new Date("2032-07-01T00:00:00Z");
    const { name } = await registerFresh(tld, { now: registeredAt });
    const expiresAt = addYears(registeredAt, 1);
    expect(await tickFor(name, addDays(expiresAt, 3))).toEqual([`renewed automatically until ${addYears(expiresAt, 1).toISOString().slice(0, 10)}`]);
    expect((await registry.info(name))!).toMatchObject({ status: "active", expiresAt: addYears(expiresAt, 1) });
    expect(await parentRecords(tld, name)).toEqual(OURS);
  });

  it("renewing in grace brings it back to active, counted from the old expiry", async () => {
    const tld = await createTld();
    const registeredAt = new Date("2033-01-10T00:00:00Z");
    const { name } = await registerFresh(tld, { now: registeredAt });
    await registry.setAutoRenew(name, false, { actor: TEST_ACTOR });
    const expiresAt = addYears(registeredAt, 1);
    await tickFor(name, addDays(expiresAt, 5));
    const renewed = await registry.renew(name, 1, { actor: TEST_ACTOR, now: addDays(expiresAt, 6) });
    expect(renewed.info).toMatchObject({ status: "active", expiresAt: addYears(expiresAt, 1) });
  });

  it("ticks are idempotent and safe when several run at once: each transition happens once", async () => {
    const tld = await createTld();
    const tenant = await createTenant();
    const registeredAt = new Date("2034-05-05T00:00:00Z");
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { name } = await registerFresh(tld, { tenantId: tenant.id, now: registeredAt });
      await registry.setAutoRenew(name, false, { actor: TEST_ACTOR });
      names.push(name);
    }
    const after = addDays(addYears(registeredAt, 1), 31);
    await Promise.all([tick(after, { tlds: [tld] }), tick(after, { tlds: [tld] }), tick(after, { tlds: [tld] })]);
    await tick(after, { tlds: [tld] });
    for (const name of names) {
      expect((await registry.info(name))!.status).toBe("redemption");
      expect(await db().auditLog.count({ where: { target: name, action: "domain.undelegate" } })).toBe(1);
      expect(await parentRecords(tld, name)).toEqual([]);
    }
  });
});
