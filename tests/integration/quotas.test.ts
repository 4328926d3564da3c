// A tenant's quotas — domains, records per zone, change sets per minute — at and over each
// limit, from every write path: the panel's lib functions, the CLI (a real process), the
// registrar. A refusal names the limit and the usage and writes nothing.
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { NotFoundError, ValidationError } from "../../lib/errors.ts";
import { addDomain } from "../../lib/domains.ts";
import { registerDomain, registerDomainFor } from "../../lib/registrar/domains.ts";
import { addRecord, deleteRecords, updateRecord } from "../../lib/zone/record-edits.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import { CLI_ACTOR } from "../../lib/cli/args.ts";
import {
  platformQuotas,
  QuotaExceededError,
  RateLimitedError,
  setTenantQuotas,
  tenantUsage,
  usageFor,
} from "../../lib/tenancy/quotas.ts";
import { cli } from "../helpers/cli.ts";
import { createTenant, createZone, TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { member, person } from "../helpers/people.ts";
import { createTld, parentSerial } from "../helpers/registry.ts";

type Quotas = { quotaDomains?: number; quotaRecordsPerZone?: number; quotaChangesPerMinute?: number };

/** A tenant with its own quotas (others: the platform default) and an owner. */
async function tenantWithOwner(quotas: Quotas = {}) {
  const tenant = await db().tenant.update({ where: { id: (await createTenant()).id }, data: quotas });
  const { principal: owner } = await member(tenant.id, "owner");
  return { tenant, owner };
}

/** A name outside every registry TLD: hosted, not registered. */
const elsewhere = () => `${uniqueLabel("q")}.example`;

const a = (name: string, i = 1) => ({ name, type: "A", ttl: 300, content: `192.0.2.${i}` });

async function zoneState(zoneId: string) {
  const zone = await db().zone.findUniqueOrThrow({ where: { id: zoneId } });
  return { serial: Number(zone.serial), records: await db().record.count({ where: { zoneId } }), journal: await db().zoneChange.count({ where: { zoneId } }) };
}

/** How many change sets the tenant made in the last minute (its zones' creation counts). */
const recentChanges = async (tenantId: string) => (await tenantUsage(tenantId)).changesPerMinute.used;

describe("platform defaults", () => {
  it("come from QUOTA_*; 0 or unlimited means none; MAX_RECORDS_PER_ZONE is the records default's older name", () => {
    expect(platformQuotas({})).toEqual({ domains: 100, recordsPerZone: 10_000, changesPerMinute: 120 });
    expect(platformQuotas({ QUOTA_DOMAINS: "5", QUOTA_RECORDS_PER_ZONE: "unlimited", QUOTA_CHANGES_PER_MINUTE: "0" })).toEqual({ domains: 5, recordsPerZone: null, changesPerMinute: null });
    expect(platformQuotas({ MAX_RECORDS_PER_ZONE: "250000" }).recordsPerZone).toBe(250_000);
    expect(platformQuotas({ MAX_RECORDS_PER_ZONE: "250000", QUOTA_RECORDS_PER_ZONE: "50" }).recordsPerZone).toBe(50);
  });
});

describe("domains per tenant", () => {
  it("panel: the last domain within the limit is added, the next is refused with the limit and the usage", async () => {
    const { tenant, owner } = await tenantWithOwner({ quotaDomains: 2 });
    await addDomain(owner, tenant.slug, elsewhere());
    await addDomain(owner, tenant.slug, elsewhere());
    const refused = addDomain(owner, tenant.slug, elsewhere());
    await expect(refused).rejects.toThrow(QuotaExceededError);
    await expect(addDomain(owner, tenant.slug, elsewhere())).rejects.toThrow(`quota exceeded: ${tenant.slug} may have 2 domains and has 2`);
    expect(await db().domain.count({ where: { tenantId: tenant.id } })).toBe(2);
    expect(await db().zone.count({ where: { tenantId: tenant.id } })).toBe(2);
  });

  it("two additions racing for the last place: exactly one gets it", async () => {
    const { tenant, owner } = await tenantWithOwner({ quotaDomains: 1 });
    const results = await Promise.allSettled([addDomain(owner, tenant.slug, elsewhere()), addDomain(owner, tenant.slug, elsewhere())]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: expect.any(QuotaExceededError) });
    expect(await db().domain.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it("registrar: registering over the limit is refused and the parent zone is untouched", async () => {
    const tld = await createTld();
    const { tenant, owner } = await tenantWithOwner({ quotaDomains: 1 });
    await registerDomain(owner, tenant.slug, `${uniqueLabel("r")}.${tld}`, 1);
    const serial = await parentSerial(tld);
    const name = `${uniqueLabel("r")}.${tld}`;
    await expect(registerDomain(owner, tenant.slug, name, 1)).rejects.toThrow(`quota exceeded: ${tenant.slug} may have 1 domain and has 1`);
    await expect(registerDomainFor({ tenantId: tenant.id, name, years: 1 }, CLI_ACTOR)).rejects.toThrow(QuotaExceededError);
    expect(await parentSerial(tld)).toBe(serial);
    expect(await db().domain.findUnique({ where: { name } })).toBeNull();
    // The platform's own writes are not limited (here: the tests' fixtures).
    await registerDomainFor({ tenantId: tenant.id, name, years: 1 }, TEST_ACTOR);
  });

  it("usage counts the tenant's domains; a lowered limit refuses more and removes nothing", async () => {
    const { tenant, owner } = await tenantWithOwner();
    await createZone([], { tenantId: tenant.id });
    await createZone([], { tenantId: tenant.id });
    const admin = await person({ platform: true });
    await setTenantQuotas(admin, tenant.slug, { domains: 1 });
    expect((await usageFor(owner, tenant.slug)).domains).toEqual({ used: 2, limit: 1 });
    await expect(addDomain(owner, tenant.slug, elsewhere())).rejects.toThrow(`may have 1 domain and has 2`);
    expect(await db().domain.count({ where: { tenantId: tenant.id } })).toBe(2);
  });
});

describe("records per zone", () => {
  it("panel: up to the limit (the apex NS included), then refused; nothing written", async () => {
    const { tenant, owner } = await tenantWithOwner({ quotaRecordsPerZone: 4 });
    const zone = await createZone([], { tenantId: tenant.id }); // 2 NS records
    const ref = { tenant: tenant.slug, domain: zone.name };
    await addRecord(owner, ref, a("www", 1));
    await addRecord(owner, ref, a("www", 2));
    const before = await zoneState(zone.zoneId);
    expect(before.records).toBe(4);
    await expect(addRecord(owner, ref, a("api"))).rejects.toThrow(`quota exceeded: ${tenant.slug} may have 4 records per zone and ${zone.name} has 4; this change would make it 5`);
    await expect(addRecord(owner, ref, a("api"))).rejects.toThrow(QuotaExceededError);
    expect(await zoneState(zone.zoneId)).toEqual(before);

    // At the limit, an edit (same count) is fine; a zone left over a lowered limit can shrink.
    const www = await db().record.findFirstOrThrow({ where: { zoneId: zone.zoneId, name: `www.${zone.name}`, content: "192.0.2.1" } });
    await updateRecord(owner, ref, www, a("www", 3));
    await db().tenant.update({ where: { id: tenant.id }, data: { quotaRecordsPerZone: 2 } });
    const edited = await db().record.findFirstOrThrow({ where: { id: www.id } });
    await deleteRecords(owner, ref, [edited]);
    expect((await zoneState(zone.zoneId)).records).toBe(3);
    await expect(addRecord(owner, ref, a("api"))).rejects.toThrow(/may have 2 records per zone and .* has 3; this change would make it 4/);
  });

  it("the platform default applies when the tenant has none; platform zones and the platform's own writes have none", async () => {
    const saved = process.env.QUOTA_RECORDS_PER_ZONE;
    process.env.QUOTA_RECORDS_PER_ZONE = "3";
    try {
      const { tenant, owner } = await tenantWithOwner();
      const zone = await createZone([], { tenantId: tenant.id });
      const ref = { tenant: tenant.slug, domain: zone.name };
      await addRecord(owner, ref, a("www"));
      await expect(addRecord(owner, ref, a("api"))).rejects.toThrow(`may have 3 records per zone`);
      expect((await usageFor(owner, tenant.slug)).recordsPerZone).toEqual({ used: 3, largestZone: zone.name, limit: 3 });
      // The fixtures write as the platform ("system"): not limited.
      await applyChangeSet(zone.zoneId, { add: [a("api"), a("mail")] }, TEST_ACTOR);
      // A registry TLD (no tenant) takes delegations past 3 records.
      const tld = await createTld();
      const other = await tenantWithOwner();
      await registerDomain(other.owner, other.tenant.slug, `${uniqueLabel("r")}.${tld}`, 1);
      await registerDomain(other.owner, other.tenant.slug, `${uniqueLabel("r")}.${tld}`, 1);
      const parent = await db().zone.findUniqueOrThrow({ where: { name: tld }, include: { _count: { select: { records: true } } } });
      expect(parent._count.records).toBeGreaterThan(3);
    } finally {
      if (saved === undefined) delete process.env.QUOTA_RECORDS_PER_ZONE;
      else process.env.QUOTA_RECORDS_PER_ZONE = saved;
    }
  });
});

describe("change sets per minute", () => {
  it("panel: the last change set within the limit passes, the next is refused with the limit, the usage and when to retry", async () => {
    const { tenant, owner } = await tenantWithOwner();
    const zone = await createZone([], { tenantId: tenant.id });
    const limit = (await recentChanges(tenant.id)) + 2;
    await db().tenant.update({ where: { id: tenant.id }, data: { quotaChangesPerMinute: limit } });
    const ref = { tenant: tenant.slug, domain: zone.name };
    await addRecord(owner, ref, a("one"));
    await addRecord(owner, ref, a("two"));
    const before = await zoneState(zone.zoneId);
    const refused = await addRecord(owner, ref, a("three")).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).message).toMatch(
      new RegExp(`^rate limit: ${tenant.slug} may make ${limit} changes per minute and has made ${limit} in the last minute; try again in \\d+ s$`),
    );
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await zoneState(zone.zoneId)).toEqual(before);
    // Another tenant is not affected.
    const other = await tenantWithOwner({ quotaChangesPerMinute: 5 });
    const otherZone = await createZone([], { tenantId: other.tenant.id });
    await addRecord(other.owner, { tenant: other.tenant.slug, domain: otherZone.name }, a("www"));
  });

  it("change sets racing at the limit across the tenant's zones: exactly the limit passes, the rest write nothing", async () => {
    const { tenant, owner } = await tenantWithOwner();
    const zones = [];
    for (let i = 0; i < 4; i++) zones.push(await createZone([], { tenantId: tenant.id }));
    const room = 5;
    const limit = (await recentChanges(tenant.id)) + room;
    await db().tenant.update({ where: { id: tenant.id }, data: { quotaChangesPerMinute: limit } });
    const attempts = zones.flatMap((z, i) => [0, 1, 2].map((j) => addRecord(owner, { tenant: tenant.slug, domain: z.name }, a(`h${i}-${j}`))));
    const results = await Promise.allSettled(attempts);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(room);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(attempts.length - room);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(RateLimitedError);
    const added = await db().record.count({ where: { zone: { tenantId: tenant.id }, type: "A" } });
    expect(added).toBe(room);
    expect(await recentChanges(tenant.id)).toBe(limit);
  });
});

describe("setting quotas", () => {
  it("platform admins only; audited with from and to; default resets; bad values are refused field by field", async () => {
    const { tenant, owner } = await tenantWithOwner({ quotaDomains: 7 });
    const admin = await person({ platform: true });
    await expect(setTenantQuotas(owner, tenant.slug, { domains: 100 })).rejects.toThrow(NotFoundError);
    const change = await setTenantQuotas(admin, tenant.slug, { domains: "default", recordsPerZone: "500", changesPerMinute: "unlimited" });
    expect(change).toMatchObject({
      from: { domains: 7, recordsPerZone: null, changesPerMinute: null },
      to: { domains: null, recordsPerZone: 500, changesPerMinute: 0 },
      limits: { domains: 100, recordsPerZone: 500, changesPerMinute: null },
    });
    const entry = await db().auditLog.findFirstOrThrow({ where: { tenantId: tenant.id, action: "tenant.quota" } });
    expect(entry).toMatchObject({ actorId: admin.userId, target: tenant.slug, details: { from: change.from, to: change.to } });
    expect(await db().tenant.findUniqueOrThrow({ where: { id: tenant.id } })).toMatchObject({ quotaDomains: null, quotaRecordsPerZone: 500, quotaChangesPerMinute: 0 });
    const invalid = await setTenantQuotas(admin, tenant.slug, { domains: "-1", recordsPerZone: "lots" }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).issues.map((i) => i.path[0]).sort()).toEqual(["domains", "recordsPerZone"]);
    expect(await db().auditLog.count({ where: { tenantId: tenant.id, action: "tenant.quota" } })).toBe(1);
  });

  it("usage is every member's to read, not an outsider's", async () => {
    const { tenant } = await tenantWithOwner();
    const { principal: viewer } = await member(tenant.id, "viewer");
    const outsider = (await tenantWithOwner()).owner;
    await createZone([a("www")], { tenantId: tenant.id });
    const usage = await usageFor(viewer, tenant.slug);
    expect(usage).toMatchObject({ domains: { used: 1, limit: 100 }, recordsPerZone: { used: 3, limit: 10_000 }, changesPerMinute: { limit: 120 } });
    expect(usage.changesPerMinute.used).toBeGreaterThanOrEqual(2);
    await expect(usageFor(outsider, tenant.slug)).rejects.toThrow(NotFoundError);
  });
});

// A CLI call starts Node, tsx and Prisma: seconds on a busy 2-core machine.
describe("the CLI", { timeout: 240_000 }, () => {
  it("tenant quota shows and sets limits; domain add, domain register and record add are refused over them", async () => {
    const tld = await createTld();
    const { tenant } = await tenantWithOwner();
    const zone = await createZone([], { tenantId: tenant.id });

    const set = await cli("tenant", "quota", tenant.slug, "--domains", "1", "--records-per-zone", "2", "--changes-per-minute", "unlimited");
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`set quotas of ${tenant.slug}: domains 1, records-per-zone 2, changes-per-minute unlimited`);
    expect(set.stdout).toMatch(/domains\s+1 of 1 \(set for this tenant\)/);
    expect(set.stdout).toMatch(new RegExp(`records per zone\\s+2 of 2 \\(set for this tenant\\), largest zone ${zone.name.replace(/\./g, "\\.")}`));
    expect(set.stdout).toMatch(/changes per minute\s+\d+ of unlimited/);
    expect(await db().auditLog.findFirst({ where: { tenantId: tenant.id, action: "tenant.quota", actorLabel: "cli" } })).not.toBeNull();

    const domainAdd = await cli("domain", "add", elsewhere(), "--tenant", tenant.slug);
    expect(domainAdd.code).toBe(1);
    expect(domainAdd.stderr.trim()).toBe(`error: quota exceeded: ${tenant.slug} may have 1 domain and has 1`);
    const register = await cli("domain", "register", `${uniqueLabel("r")}.${tld}`, "--tenant", tenant.slug);
    expect(register.code).toBe(1);
    expect(register.stderr.trim()).toBe(`error: quota exceeded: ${tenant.slug} may have 1 domain and has 1`);
    const before = await zoneState(zone.zoneId);
    const recordAdd = await cli("record", "add", zone.name, "www", "A", "300", "192.0.2.1");
    expect(recordAdd.code).toBe(1);
    expect(recordAdd.stderr.trim()).toBe(`error: quota exceeded: ${tenant.slug} may have 2 records per zone and ${zone.name} has 2; this change would make it 3`);
    expect(await zoneState(zone.zoneId)).toEqual(before);

    const reset = await cli("tenant", "quota", tenant.slug, "--records-per-zone", "default");
    expect(reset.stdout).toMatch(/records per zone\s+2 of 10,000 \(platform default\)/);
    const bad = await cli("tenant", "quota", tenant.slug, "--domains", "many");
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('error: domains: a whole number, "unlimited" or "default"');
  });

  it("record add is refused over the rate limit, naming it", async () => {
    // One change set a minute, and the zone's creation was one: the CLI's is refused (it
    // starts well within the minute, however busy the machine).
    const { tenant } = await tenantWithOwner({ quotaChangesPerMinute: 1 });
    const zone = await createZone([], { tenantId: tenant.id });
    const refused = await cli("record", "add", zone.name, "www", "A", "300", "192.0.2.1");
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(new RegExp(`^error: rate limit: ${tenant.slug} may make 1 change per minute and has made 1 in the last minute; try again in \\d+ s$`));
    expect(await db().record.count({ where: { zoneId: zone.zoneId, type: "A" } })).toBe(0);
  });
});
