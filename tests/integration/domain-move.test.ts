// Moving a domain to another tenant: the registration, zone, records, hosts and history go
// along, nothing is re-created, the serial stays, the nameserver keeps answering the same; the
// move is audited on both sides; the target's quota and suspension are respected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { NotFoundError, ValidationError } from "../../lib/errors.ts";
import { listDomains } from "../../lib/domains.ts";
import { registryFor } from "../../lib/registry/local-registry.ts";
import { switchNameservers } from "../../lib/registrar/domains.ts";
import { moveDomain } from "../../lib/tenancy/domain-move.ts";
import { QuotaExceededError } from "../../lib/tenancy/quotas.ts";
import { addRecord } from "../../lib/zone/record-edits.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import { cli } from "../helpers/cli.ts";
import { query, soaSerial } from "../helpers/dns-client.ts";
import { createTenant, createZone, TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { eventually, startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";
import { member, person } from "../helpers/people.ts";
import { createTld, registerFresh } from "../helpers/registry.ts";

let ns: NameserverProcess;
let tld: string;
beforeAll(async () => {
  tld = await createTld();
  ns = await startNameserver();
});
afterAll(async () => ns?.stop());

/** A tenant with an owner, holding a registered domain with records, history and a host object. */
async function acquired() {
  const from = await createTenant();
  const { principal: fromOwner } = await member(from.id, "owner");
  const { name } = await registerFresh(tld, { tenantId: from.id });
  const zone = await db().zone.findUniqueOrThrow({ where: { name } });
  await applyChangeSet(zone.id, { add: [{ name: "www", type: "A", ttl: 300, content: "192.0.2.10" }, { name: "ns1", type: "A", ttl: 300, content: "192.0.2.53" }] }, TEST_ACTOR);
  await addRecord(fromOwner, { tenant: from.slug, domain: name }, { name: "@", type: "MX", ttl: 300, content: `10 mail.${name}.` });
  // A host object inside the domain (glue at the parent), then back to our nameservers: it stays.
  await switchNameservers(name, { ours: false, hosts: [{ name: `ns1.${name}`, addresses: ["192.0.2.53"] }, { name: "ns2.elsewhere.example" }] }, { force: true, actor: TEST_ACTOR });
  await switchNameservers(name, { ours: true }, { actor: TEST_ACTOR });
  const to = await createTenant();
  const { principal: toOwner } = await member(to.id, "owner");
  return { from, fromOwner, to, toOwner, name, zoneId: zone.id };
}

async function snapshot(name: string) {
  const domain = await db().domain.findUniqueOrThrow({
    where: { name },
    include: { registration: true, hosts: true, delegation: { include: { nameservers: true } }, zone: { include: { records: { orderBy: { id: "asc" } }, changes: { orderBy: { id: "asc" } } } } },
  });
  const { tenantId: domainTenant, zone, ...rest } = domain;
  const { tenantId: zoneTenant, updatedAt: _updatedAt, ...zoneRest } = zone!;
  return { domainTenant, zoneTenant, unchanged: { ...rest, zone: zoneRest } };
}

async function served(name: string) {
  const soa = await query(ns.port, name, "SOA");
  const www = await query(ns.port, `www.${name}`, "A");
  const mx = await query(ns.port, name, "MX");
  return { rcode: soa.rcode, serial: soaSerial(soa), www: www.answers.map((a) => a.data), mx: mx.answers.map((a) => a.data) };
}

describe("moving a domain", () => {
  it("moves registration, zone, records, hosts and history as they are; the serial and the answers stay", async () => {
    const f = await acquired();
    const admin = await person({ platform: true });
    const zone = await db().zone.findUniqueOrThrow({ where: { id: f.zoneId } });
    const answers = await eventually(async () => {
      const s = await served(f.name);
      expect(s.serial).toBe(Number(zone.serial));
      return s;
    }, 10_000);
    expect(answers).toMatchObject({ rcode: "NOERROR", www: ["192.0.2.10"] });
    const before = await snapshot(f.name);
    expect(before.unchanged.hosts.map((h) => h.name)).toEqual([`ns1.${f.name}`]);

    const move = await moveDomain(admin, f.name, f.to.slug);
    expect(move).toEqual({ domain: f.name, from: f.from.slug, to: f.to.slug, zone: { name: f.name, serial: Number(zone.serial), records: 5 }, registered: true });

    const after = await snapshot(f.name);
    expect(after.domainTenant).toBe(f.to.id);
    expect(after.zoneTenant).toBe(f.to.id);
    // The same rows (ids, versions), the same serial, the same journal: nothing re-created.
    expect(after.unchanged).toEqual(before.unchanged);
    expect(await served(f.name)).toEqual(answers);

    // Both sides audited, with from and to.
    for (const [tenantId, action] of [[f.from.id, "domain.move.out"], [f.to.id, "domain.move.in"]]) {
      const entry = await db().auditLog.findFirstOrThrow({ where: { tenantId, action, target: f.name } });
      expect(entry).toMatchObject({ actorId: admin.userId, details: { from: f.from.slug, to: f.to.slug, serial: Number(zone.serial) } });
    }

    // The new tenant has it (and may change it); the old one no longer sees it.
    expect((await listDomains(f.toOwner, f.to.slug)).domains.map((d) => d.name)).toEqual([f.name]);
    expect((await listDomains(f.fromOwner, f.from.slug)).domains).toEqual([]);
    await expect(addRecord(f.fromOwner, { tenant: f.from.slug, domain: f.name }, { name: "x", type: "A", content: "192.0.2.1" })).rejects.toThrow(NotFoundError);
    const change = await addRecord(f.toOwner, { tenant: f.to.slug, domain: f.name }, { name: "x", type: "A", content: "192.0.2.1" });
    expect(change.oldSerial).toBe(Number(zone.serial));
    expect((await registryFor().info(f.name))?.status).toBe("active");
  });

  it("platform admins only", async () => {
    const f = await acquired();
    await expect(moveDomain(f.fromOwner, f.name, f.to.slug)).rejects.toThrow(NotFoundError);
    await expect(moveDomain(f.toOwner, f.name, f.to.slug)).rejects.toThrow(NotFoundError);
    expect((await snapshot(f.name)).domainTenant).toBe(f.from.id);
  });

  it("respects the target's domain quota, refuses a suspended target, an unknown one and the same tenant; nothing moves", async () => {
    const f = await acquired();
    const admin = await person({ platform: true });
    await createZone([], { tenantId: f.to.id });
    await db().tenant.update({ where: { id: f.to.id }, data: { quotaDomains: 1 } });
    await expect(moveDomain(admin, f.name, f.to.slug)).rejects.toThrow(`quota exceeded: ${f.to.slug} may have 1 domain and has 1`);
    await expect(moveDomain(admin, f.name, f.to.slug)).rejects.toThrow(QuotaExceededError);
    await db().tenant.update({ where: { id: f.to.id }, data: { quotaDomains: null, quotaRecordsPerZone: 4 } });
    await expect(moveDomain(admin, f.name, f.to.slug)).rejects.toThrow(`quota exceeded: ${f.to.slug} may have 4 records per zone and ${f.name} has 5`);
    await db().tenant.update({ where: { id: f.to.id }, data: { quotaRecordsPerZone: null, status: "suspended", suspensionKind: "billing", suspensionReason: "unpaid" } });
    await expect(moveDomain(admin, f.name, f.to.slug)).rejects.toThrow(/is suspended for billing: lift its suspension/);
    await expect(moveDomain(admin, f.name, uniqueLabel("nobody-"))).rejects.toThrow(NotFoundError);
    await expect(moveDomain(admin, `${uniqueLabel("none")}.${tld}`, f.to.slug)).rejects.toThrow(NotFoundError);
    await expect(moveDomain(admin, f.name, f.from.slug)).rejects.toThrow(ValidationError);
    expect((await snapshot(f.name)).domainTenant).toBe(f.from.id);
    expect(await db().auditLog.count({ where: { target: f.name, action: { startsWith: "domain.move" } } })).toBe(0);
  });

  it("refuses to split a zone from a zone inside it that stays behind", async () => {
    const from = await createTenant();
    const to = await createTenant();
    const admin = await person({ platform: true });
    const parent = await createZone([], { tenantId: from.id, name: `${uniqueLabel("p")}.example` });
    const child = await createZone([], { tenantId: from.id, name: `sub.${parent.name}` });
    await expect(moveDomain(admin, parent.name, to.slug)).rejects.toThrow(`overlaps ${child.name}`);
  });

  it("from the CLI: domain move <domain> --to <slug>", { timeout: 180_000 }, async () => {
    const f = await acquired();
    const serial = Number((await db().zone.findUniqueOrThrow({ where: { id: f.zoneId } })).serial);
    const run = await cli("domain", "move", f.name, "--to", f.to.slug);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`moved ${f.name} from ${f.from.slug} to ${f.to.slug}`);
    expect(run.stdout).toContain(`zone ${f.name} unchanged: serial ${serial}, 5 records, history kept`);
    expect((await snapshot(f.name)).zoneTenant).toBe(f.to.id);
    expect(await db().auditLog.count({ where: { target: f.name, action: { in: ["domain.move.out", "domain.move.in"] }, actorLabel: "cli" } })).toBe(2);
    const usage = await cli("domain", "move", f.name);
    expect(usage.code).toBe(2);
  });
});

describe("an edit checked in the old tenant", () => {
  it("is refused as not found once the domain has moved, not written into the new tenant's zone", async () => {
    const from = await createTenant();
    const zone = await createZone([], { tenantId: from.id });
    const to = await createTenant();
    await moveDomain(await person({ platform: true }), zone.name, to.slug);
    const serial = (await db().zone.findUniqueOrThrow({ where: { id: zone.zoneId } })).serial;
    // What record-edits.ts sends after a permission check that read the zone before the move.
    const stale = { ...TEST_ACTOR, source: "panel" as const, forTenantId: from.id };
    await expect(applyChangeSet(zone.zoneId, { add: [{ name: uniqueLabel("late"), type: "A", ttl: 300, content: "192.0.2.1" }] }, stale)).rejects.toThrow(NotFoundError);
    expect((await db().zone.findUniqueOrThrow({ where: { id: zone.zoneId } })).serial).toBe(serial);
    await applyChangeSet(zone.zoneId, { add: [{ name: uniqueLabel("ok"), type: "A", ttl: 300, content: "192.0.2.1" }] }, { ...stale, forTenantId: to.id });
  });
});
