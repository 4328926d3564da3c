// Tenant administration by platform admins (issue 8): the list (search, sort, pages in SQL),
// a tenant's page (every view audited), rename, suspension of both kinds against a real
// nameserver process (abuse: REFUSED within seconds; billing: still answered; lift: answered
// again), deleting only an empty tenant (also against a domain added at the same moment), and
// the operator's CLI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { createHostedDomain } from "../../lib/domains.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { Principal } from "../../lib/permissions.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import { addRecord } from "../../lib/zone/record-edits.ts";
import {
  createTenant as createTenantWithOwner, deleteTenant, listTenants, renameTenant, resumeTenant, suspendTenant, tenantDetail, tenantsOf,
} from "../../lib/tenancy/tenants.ts";
import { cli } from "../helpers/cli.ts";
import { query } from "../helpers/dns-client.ts";
import { createTenant, createZone, TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { eventually, startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";
import { member, person } from "../helpers/people.ts";

let ns: NameserverProcess;
let admin: Principal;
beforeAll(async () => {
  ns = await startNameserver();
  admin = await person({ platform: true });
});
afterAll(async () => ns?.stop());

/** A tenant named "<token> <label>" created at `createdAt`, with `zones` zones of `records` extra records each. */
async function tenantWith(token: string, label: string, createdAt: Date, opts: { zones?: number; records?: number } = {}) {
  const slug = uniqueLabel(`${token}-`);
  const tenant = await db().tenant.create({ data: { slug, name: `${token} ${label}`, createdAt } });
  for (let i = 0; i < (opts.zones ?? 0); i++) {
    await createZone(Array.from({ length: opts.records ?? 0 }, (_, j) => ({ name: `r${j}`, type: "A", ttl: 300, content: "192.0.2.1" })), { tenantId: tenant.id });
  }
  return tenant;
}

const names = (page: { rows: { name: string }[] }) => page.rows.map((r) => r.name.split(" ")[1]);

async function answered(zone: string) {
  const reply = await query(ns.port, zone, "A");
  expect(reply.rcode).toBe("NOERROR");
  expect(reply.answers.map((a) => a.data)).toEqual(["192.0.2.7"]);
}
async function refused(zone: string) {
  expect((await query(ns.port, zone, "A")).rcode).toBe("REFUSED");
}
/** A tenant with one zone whose apex answers A 192.0.2.7, once the nameserver serves it. */
async function servedTenant() {
  const tenant = await createTenant();
  const zone = await createZone([{ name: "@", type: "A", ttl: 300, content: "192.0.2.7" }], { tenantId: tenant.id });
  await eventually(() => answered(zone.name), 15_000);
  return { tenant, zone: zone.name, zoneId: zone.zoneId };
}

describe("the tenant list", () => {
  it("searches by name, short name and owner's email, sorts by every column and pages, in SQL", async () => {
    const token = uniqueLabel("list");
    // Made in this order, so created (and activity, for those with zones) ascends a→e.
    const day = (n: number) => new Date(Date.UTC(2024, 0, n));
    const a = await tenantWith(token, "alpha", day(1), { zones: 1, records: 3 });
    const b = await tenantWith(token, "Bravo", day(2));
    const c = await tenantWith(token, "charlie", day(3), { zones: 2 });
    const d = await tenantWith(token, "delta", day(4), { zones: 1, records: 1 });
    const e = await tenantWith(token, "echo", day(5));
    const owner = await member(b.id, "owner");
    await db().tenant.update({ where: { id: d.id }, data: { status: "suspended", suspensionKind: "abuse", suspensionReason: "spam", suspendedAt: new Date() } });
    await db().tenant.update({ where: { id: e.id }, data: { status: "suspended", suspensionKind: "billing", suspensionReason: "unpaid", suspendedAt: new Date() } });

    const all = await listTenants(admin, { q: token });
    expect(all.total).toBe(5);
    expect(names(all)).toEqual(["alpha", "Bravo", "charlie", "delta", "echo"]); // by name, case-insensitive
    const row = (slug: string) => all.rows.find((r) => r.slug === slug)!;
    // Each zone has our NS records (NS_NAMES) besides its own.
    const nsPerZone = row(c.slug).records / 2;
    expect(nsPerZone).toBeGreaterThan(0);
    expect(row(a.slug)).toMatchObject({ domains: 1, records: nsPerZone + 3, status: "active", suspensionKind: null });
    expect(row(c.slug)).toMatchObject({ domains: 2 });
    expect(row(b.slug)).toMatchObject({ domains: 0, records: 0, owners: [owner.principal.email], lastActivityAt: null });
    expect(row(d.slug)).toMatchObject({ status: "suspended", suspensionKind: "abuse", suspensionReason: "spam" });
    expect(row(a.slug).lastActivityAt).toBeInstanceOf(Date);

    // Search: a name, a short name, an owner's email; LIKE's wildcards are taken literally.
    expect(names(await listTenants(admin, { q: `${token} CHAR` }))).toEqual(["charlie"]);
    expect(names(await listTenants(admin, { q: d.slug }))).toEqual(["delta"]);
    expect(names(await listTenants(admin, { q: owner.principal.email.toUpperCase() }))).toEqual(["Bravo"]);
    expect((await listTenants(admin, { q: `${token}%` })).total).toBe(0);

    const sorted = async (sort: string, dir?: string) => names(await listTenants(admin, { q: token, sort, ...(dir ? { dir } : {}) }));
    // Ties go by short name (unique, random here), so pages never overlap.
    const bySlug = (...tenants: { slug: string; name: string }[]) => [...tenants].sort((x, y) => x.slug.localeCompare(y.slug)).map((t) => t.name.split(" ")[1]);
    expect(await sorted("name", "desc")).toEqual(["echo", "delta", "charlie", "Bravo", "alpha"]);
    expect(await sorted("slug")).toEqual(bySlug(a, b, c, d, e));
    expect(await sorted("created")).toEqual(["echo", "delta", "charlie", "Bravo", "alpha"]); // newest first by default
    expect(await sorted("created", "asc")).toEqual(["alpha", "Bravo", "charlie", "delta", "echo"]);
    expect(await sorted("domains")).toEqual(["charlie", ...bySlug(a, d), ...bySlug(b, e)]);
    expect(await sorted("domains", "asc")).toEqual([...bySlug(b, e), ...bySlug(a, d), "charlie"]);
    const byRecords = [...all.rows].sort((x, y) => y.records - x.records || x.slug.localeCompare(y.slug)).map((r) => r.name.split(" ")[1]);
    expect(byRecords.slice(0, 1)).toEqual(["alpha"]); // NS records + 3
    expect(await sorted("records")).toEqual(byRecords);
    // Activity (changes to its zones, entries in its audit log): newest first, none last.
    expect(await sorted("activity")).toEqual(["delta", "charlie", "alpha", ...bySlug(b, e)]);
    expect(await sorted("activity", "asc")).toEqual(["alpha", "charlie", "delta", ...bySlug(b, e)]);
    // Status: active, suspended for billing, suspended for abuse.
    expect(await sorted("status")).toEqual(["alpha", "Bravo", "charlie", "echo", "delta"]);
    expect(await sorted("status", "desc")).toEqual(["delta", "echo", "alpha", "Bravo", "charlie"]);

    // Pages: two per page; past the last page is the last page; nonsense falls back to defaults.
    const page2 = await listTenants(admin, { q: token, perPage: "2", page: "2" });
    expect({ names: names(page2), total: page2.total, pages: page2.pages, page: page2.query.page }).toEqual({ names: ["charlie", "delta"], total: 5, pages: 3, page: 2 });
    // Sorted by a figure, the page is cut after the figures are computed.
    expect(names(await listTenants(admin, { q: token, sort: "activity", perPage: "2", page: "2" }))).toEqual(["alpha", bySlug(b, e)[0]]);
    const beyond = await listTenants(admin, { q: token, perPage: "2", page: "99" });
    expect({ names: names(beyond), page: beyond.query.page }).toEqual({ names: ["echo"], page: 3 });
    const hostile = await listTenants(admin, { q: [token, "x"], sort: "name; DROP TABLE \"Tenant\"", dir: "sideways", page: "-1", perPage: "100000" });
    expect({ names: names(hostile), sort: hostile.query.sort, dir: hostile.query.dir, page: hostile.query.page }).toEqual({
      names: ["alpha", "Bravo", "charlie", "delta", "echo"], sort: "name", dir: "asc", page: 1,
    });
  });

  it("is for platform admins only", async () => {
    const t = await createTenant();
    const owner = await member(t.id, "owner");
    await expect(listTenants(owner.principal, {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(tenantDetail(owner.principal, t.slug)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("a tenant's page", () => {
  it("shows members, domains with their registration state, recent changes, and audits every view", async () => {
    const t = await createTenant();
    const owner = await member(t.id, "owner");
    const viewer = await member(t.id, "viewer");
    const zone = await createZone([{ name: "www", type: "A", ttl: 300, content: "192.0.2.3" }], { tenantId: t.id });
    await db().user.update({ where: { id: owner.principal.userId }, data: { lastSignInAt: new Date("2030-01-02T03:04:05Z") } });

    const detail = await tenantDetail(admin, t.slug);
    expect(detail.tenant.slug).toBe(t.slug);
    expect(detail.members.map((m) => [m.email, m.role])).toEqual([
      [owner.principal.email, "owner"],
      [viewer.principal.email, "viewer"],
    ]);
    expect(detail.members[0].lastSignInAt).toEqual(new Date("2030-01-02T03:04:05Z"));
    expect(detail.domains).toEqual([{ name: zone.name, registration: null, delegationMode: "hosted", records: expect.any(Number), serial: zone.serial }]);
    expect(detail.recentChanges[0]).toMatchObject({ zone: zone.name, newSerial: zone.serial });
    expect(detail.usage.domains.used).toBe(1);
    expect(detail.usage.recordsPerZone.largestZone).toBe(zone.name);
    expect(detail.quotas).toEqual({ domains: null, recordsPerZone: null, changesPerMinute: null });
    expect(detail.recentChanges[0].lines.map((l) => l.kind === "added" && l.after.name)).toContain(`www.${zone.name}`);

    await tenantDetail(admin, t.slug);
    const views = await db().auditLog.findMany({ where: { tenantId: t.id, action: "tenant.view" } });
    expect(views.map((v) => [v.actorId, v.actorLabel, v.target])).toEqual([
      [admin.userId, admin.email, t.slug],
      [admin.userId, admin.email, t.slug],
    ]);
    // An admin's look is not the tenant's activity.
    const before = (await listTenants(admin, { q: t.slug })).rows[0].lastActivityAt;
    await tenantDetail(admin, t.slug);
    expect((await listTenants(admin, { q: t.slug })).rows[0].lastActivityAt).toEqual(before);
    await expect(tenantDetail(admin, "no-such-tenant")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("renames the tenant, audited with the old and new name", async () => {
    const t = await createTenant();
    await expect(renameTenant(admin, t.slug, "  ")).rejects.toBeInstanceOf(ValidationError);
    expect(await renameTenant(admin, t.slug, " Initech Ltd ")).toMatchObject({ name: "Initech Ltd", changed: true });
    expect(await renameTenant(admin, t.slug, "Initech Ltd")).toMatchObject({ changed: false });
    expect((await db().tenant.findUniqueOrThrow({ where: { id: t.id } })).name).toBe("Initech Ltd");
    const entries = await db().auditLog.findMany({ where: { tenantId: t.id, action: "tenant.rename" } });
    expect(entries.map((e) => e.details)).toEqual([{ from: t.slug, to: "Initech Ltd" }]);
    const owner = await member(t.id, "owner");
    await expect(renameTenant(owner.principal, t.slug, "Mine")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("creates a tenant with an owner invitation, as before", async () => {
    const slug = uniqueLabel("new-");
    const { tenant, invitation } = await createTenantWithOwner(admin, { slug, name: "New Co", ownerEmail: `${uniqueLabel("boss")}@example.test` });
    expect(invitation.url).toMatch(/\/invite\//);
    expect((await listTenants(admin, { q: slug })).rows[0]).toMatchObject({ id: tenant.id, owners: [], invitedOwners: [expect.stringMatching(/^boss/)] });
  });
});

describe("suspension", { timeout: 120_000 }, () => {
  it("for abuse: REFUSED within seconds; changed to billing: answered; lifted: answered, each audited", async () => {
    const { tenant, zone } = await servedTenant();
    const owner = await member(tenant.id, "owner");

    expect(await suspendTenant(admin, tenant.slug, { kind: "abuse", reason: "phishing pages" })).toMatchObject({ changed: true, zones: 1 });
    await eventually(() => refused(zone), 10_000);
    // Members keep reading; every change is refused, naming the kind and the reason.
    expect((await tenantsOf(owner.principal))[0]).toMatchObject({ status: "suspended", suspensionKind: "abuse", suspensionReason: "phishing pages" });
    await expect(addRecord(owner.principal, { tenant: tenant.slug, domain: zone }, { name: "x", type: "A", content: "192.0.2.1" })).rejects.toThrow(
      /suspended for abuse \(phishing pages\)/,
    );

    // The same suspension again changes nothing; another kind applies at once.
    expect(await suspendTenant(admin, tenant.slug, { kind: "abuse", reason: "phishing pages" })).toMatchObject({ changed: false });
    const began = (await db().tenant.findUniqueOrThrow({ where: { id: tenant.id } })).suspendedAt;
    await suspendTenant(admin, tenant.slug, { kind: "billing", reason: "invoice 42 unpaid" });
    await eventually(() => answered(zone), 10_000);
    const row = await db().tenant.findUniqueOrThrow({ where: { id: tenant.id } });
    expect(row).toMatchObject({ status: "suspended", suspensionKind: "billing", suspensionReason: "invoice 42 unpaid", suspendedAt: began });
    await expect(addRecord(owner.principal, { tenant: tenant.slug, domain: zone }, { name: "x", type: "A", content: "192.0.2.1" })).rejects.toBeInstanceOf(ForbiddenError);

    expect(await resumeTenant(admin, tenant.slug)).toMatchObject({ changed: true, status: "active" });
    expect(await resumeTenant(admin, tenant.slug)).toMatchObject({ changed: false });
    expect(await db().tenant.findUniqueOrThrow({ where: { id: tenant.id } })).toMatchObject({ status: "active", suspensionKind: null, suspensionReason: null, suspendedAt: null });
    await addRecord(owner.principal, { tenant: tenant.slug, domain: zone }, { name: "x", type: "A", content: "192.0.2.1" });
    await eventually(() => answered(zone), 10_000);

    const entries = await db().auditLog.findMany({ where: { tenantId: tenant.id, action: { in: ["tenant.suspend", "tenant.resume"] } }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.action, e.actorId, e.target, e.details])).toEqual([
      ["tenant.suspend", admin.userId, tenant.slug, { kind: "abuse", reason: "phishing pages" }],
      ["tenant.suspend", admin.userId, tenant.slug, { kind: "billing", reason: "invoice 42 unpaid", previousKind: "abuse", previousReason: "phishing pages" }],
      ["tenant.resume", admin.userId, tenant.slug, { kind: "billing", reason: "invoice 42 unpaid", suspendedAt: began!.toISOString() }],
    ]);
  });

  it("for billing: the zones keep being answered", async () => {
    const billing = await servedTenant();
    const abuse = await servedTenant();
    await suspendTenant(admin, billing.tenant.slug, { kind: "billing", reason: "card declined" });
    await suspendTenant(admin, abuse.tenant.slug, { kind: "abuse", reason: "malware" });
    await eventually(() => refused(abuse.zone), 10_000);
    // Proof that the nameserver has re-read the billing zone since its suspension (no sleeping
    // on a negative): a record added after it (by the platform's own writer, which suspensions
    // do not stop) is served, so the zone was loaded under the suspension and kept.
    await applyChangeSet(billing.zoneId, { add: [{ name: "later", type: "A", ttl: 300, content: "192.0.2.8" }] }, TEST_ACTOR);
    await eventually(async () => expect((await query(ns.port, `later.${billing.zone}`, "A")).answers.map((a) => a.data)).toEqual(["192.0.2.8"]), 10_000);
    await answered(billing.zone);
    expect((await query(ns.port, billing.zone, "SOA")).rcode).toBe("NOERROR");
  });

  it("needs a kind and a reason, and a platform admin", async () => {
    const t = await createTenant();
    const owner = await member(t.id, "owner");
    await expect(suspendTenant(admin, t.slug, { kind: "holiday", reason: "x" })).rejects.toThrow(/billing or abuse/);
    await expect(suspendTenant(admin, t.slug, { kind: "abuse", reason: "  " })).rejects.toThrow(/reason is required/);
    await expect(suspendTenant(admin, "no-such-tenant", { kind: "abuse", reason: "x" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(suspendTenant(owner.principal, t.slug, { kind: "abuse", reason: "x" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(resumeTenant(owner.principal, t.slug)).rejects.toBeInstanceOf(NotFoundError);
    expect((await db().tenant.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("active");
  });
});

describe("deleting a tenant", () => {
  it("is refused while it holds a domain, and nothing is deleted", async () => {
    const t = await createTenant();
    const owner = await member(t.id, "owner");
    const zone = await createZone([], { tenantId: t.id });
    await expect(deleteTenant(admin, t.slug)).rejects.toThrow(new RegExp(`still holds 1 domain \\(${zone.name.replace(/\./g, "\\.")}\\)`));
    expect(await db().tenant.findUnique({ where: { id: t.id } })).not.toBeNull();
    expect(await db().membership.count({ where: { tenantId: t.id } })).toBe(1);
    expect(await db().zone.count({ where: { id: zone.zoneId } })).toBe(1);
    await expect(deleteTenant(owner.principal, t.slug)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("deletes an empty tenant with its memberships and invitations; its users and audit entries stay", async () => {
    const { tenant } = await createTenantWithOwner(admin, { slug: uniqueLabel("gone-"), name: "Gone", ownerEmail: `${uniqueLabel("o")}@example.test` });
    const m = await member(tenant.id, "admin");
    await deleteTenant(admin, tenant.slug);
    expect(await db().tenant.findUnique({ where: { id: tenant.id } })).toBeNull();
    expect(await db().membership.count({ where: { tenantId: tenant.id } })).toBe(0);
    expect(await db().invitation.count({ where: { tenantId: tenant.id } })).toBe(0);
    expect(await db().user.findUnique({ where: { id: m.principal.userId } })).not.toBeNull();
    const entries = await db().auditLog.findMany({ where: { tenantId: tenant.id }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => e.action)).toEqual(["tenant.create", "tenant.delete"]);
    expect(entries[1]).toMatchObject({ actorId: admin.userId, target: tenant.slug, details: { name: "Gone", members: 1 } });
    await expect(deleteTenant(admin, tenant.slug)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("racing a domain being added: one of the two wins, and no domain is left without its tenant", async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const t = await createTenant();
      const name = `${uniqueLabel("race")}.test`;
      // Either one starts first, in turn.
      const del = () => deleteTenant(admin, t.slug);
      const add = () => createHostedDomain({ tenantId: t.id, name }, TEST_ACTOR);
      const [deleted, added] = i % 2 === 0 ? await Promise.allSettled([del(), add()]) : await Promise.allSettled([add(), del()]).then(([x, y]) => [y, x]);
      const tenantLeft = await db().tenant.findUnique({ where: { id: t.id } });
      const domain = await db().domain.findUnique({ where: { name } });
      if (deleted.status === "fulfilled") {
        expect(added.status).toBe("rejected");
        expect({ tenantLeft, domain }).toEqual({ tenantLeft: null, domain: null });
        outcomes.add("deleted");
      } else {
        expect(added.status).toBe("fulfilled");
        expect(deleted.reason).toBeInstanceOf(ValidationError);
        expect((deleted.reason as Error).message).toMatch(/still holds 1 domain/);
        expect(domain?.tenantId).toBe(t.id);
        outcomes.add("added");
      }
    }
    expect(outcomes.size).toBeGreaterThan(0);
  });

  it("a domain added while the deletion waits for the tenant's lock is seen: the deletion is refused", async () => {
    const t = await createTenant();
    const name = `${uniqueLabel("late")}.test`;
    let deletion: Promise<unknown> = Promise.resolve();
    // The add's transaction has inserted its domain and not committed yet when the deletion starts.
    await db().$transaction(
      async (tx) => {
        await tx.domain.create({ data: { tenantId: t.id, name } });
        deletion = deleteTenant(admin, t.slug).then(() => "deleted", (e: unknown) => e);
        await eventually(async () => {
          const [waiting] = await db().$queryRaw<{ n: bigint }[]>`
            SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM "Tenant" WHERE slug = $1 FOR UPDATE%'`;
          expect(Number(waiting.n)).toBeGreaterThan(0);
        }, 15_000);
      },
      { timeout: 30_000 },
    );
    const outcome = await deletion;
    expect(outcome).toBeInstanceOf(ValidationError);
    expect((outcome as Error).message).toMatch(new RegExp(`still holds 1 domain \\(${name.replace(/\./g, "\\.")}\\)`));
    expect((await db().domain.findUniqueOrThrow({ where: { name } })).tenantId).toBe(t.id);
  });
});

// A CLI call starts Node, tsx and Prisma: seconds on a busy 2-core machine.
describe("the operator CLI", { timeout: 240_000 }, () => {
  it("tenant suspend --kind abuse stops serving; tenant resume serves again; both audited as the CLI", async () => {
    const { tenant, zone } = await servedTenant();
    const suspended = await cli("tenant", "suspend", tenant.slug, "--kind", "abuse", "--reason", "open resolver abuse");
    expect(suspended.code, suspended.stderr).toBe(0);
    expect(suspended.stdout).toContain(`suspended tenant ${tenant.slug} for abuse (open resolver abuse)`);
    expect(await db().tenant.findUniqueOrThrow({ where: { id: tenant.id } })).toMatchObject({ status: "suspended", suspensionKind: "abuse", suspensionReason: "open resolver abuse" });
    await eventually(() => refused(zone), 10_000);

    const billing = await cli("tenant", "suspend", tenant.slug, "--reason", "overdue", "--kind", "billing");
    expect(billing.code, billing.stderr).toBe(0);
    await eventually(() => answered(zone), 10_000);

    const resumed = await cli("tenant", "resume", tenant.slug);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`resumed tenant ${tenant.slug}`);
    expect((await db().tenant.findUniqueOrThrow({ where: { id: tenant.id } })).status).toBe("active");
    await answered(zone);

    const entries = await db().auditLog.findMany({ where: { tenantId: tenant.id, action: { startsWith: "tenant." } }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.action, e.actorLabel, e.actorId])).toEqual([
      ["tenant.suspend", "cli", null],
      ["tenant.suspend", "cli", null],
      ["tenant.resume", "cli", null],
    ]);
  });

  it("refuses a wrong kind, a missing reason and an unknown tenant, with one line and nothing written", async () => {
    const t = await createTenant();
    const badKind = await cli("tenant", "suspend", t.slug, "--kind", "holiday", "--reason", "x");
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toMatch(/--kind is billing or abuse/);
    const noReason = await cli("tenant", "suspend", t.slug, "--kind", "abuse");
    expect(noReason.code).toBe(2);
    const unknown = await cli("tenant", "resume", "no-such-tenant");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe("error: tenant no-such-tenant not found");
    expect((await db().tenant.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("active");
  });
});
