// The authorization matrix of the panel: every operation that a server action, route handler
// or page calls, for every role, a member of another tenant, and a platform admin. Each
// operation runs for real against the database (and, where it changes zones, the write path).
//
// The last test reads app/ and fails when a page, action or route calls an operation of these
// modules that has no row here, so a new server action cannot skip the matrix.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { addDomain, createHostedDomain, listDomains, removeDomain } from "../../lib/domains.ts";
import { ForbiddenError, NotFoundError } from "../../lib/errors.ts";
import type { Action, Principal } from "../../lib/permissions.ts";
import { changeRole, inviteMember, listMembers, removeMember, revokeInvitation } from "../../lib/tenancy/members.ts";
import { createTenant, deleteTenant, listTenants, renameTenant, resumeTenant, suspendTenant, tenantDetail } from "../../lib/tenancy/tenants.ts";
import { setTenantQuotas, usageFor } from "../../lib/tenancy/quotas.ts";
import { moveDomain } from "../../lib/tenancy/domain-move.ts";
import { createPasswordReset, disableUser, enableUser, getUser, listUsers, setPlatformAdmin } from "../../lib/users/users.ts";
import { platformAuditExport, platformAuditLog, tenantAuditExport, tenantAuditLog } from "../../lib/audit/queries.ts";
import { domainTraffic, platformDashboard } from "../../lib/metrics/dashboard.ts";
import { zoneHistory } from "../../lib/zone/history.ts";
import { addRecord, deleteRecords, updateRecord } from "../../lib/zone/record-edits.ts";
import { recordsPage } from "../../lib/zone/records-table.ts";
import { servingStatus } from "../../lib/zone/serving-status.ts";
import { createTenant as createTenantRow, createZone, TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { domainRef, EVERYONE, freshRecord, MAY, member, person, tenantWithEveryone, type TenantFixture, type Who } from "../helpers/people.ts";
import { createTld, registerFresh, registrationWithUnusedHost, withRegistration } from "../helpers/registry.ts";
import {
  changeNameservers, deleteHost, preflightNameserversFor, regenerateAuthCode, registerDomain, renewDomain, restoreDomain, revealAuthCode,
  searchName, setAutoRenew, setTransferLock, updateHostAddresses,
} from "../../lib/registrar/domains.ts";
import { domainHeader, domainOverview, runDelegationCheck } from "../../lib/registrar/overview.ts";
import { registryFor } from "../../lib/registry/local-registry.ts";

// Each fixture also holds a domain registered in this file's own registry TLD.
type Fixture = TenantFixture & { registered: string };
let tld = "";
beforeAll(async () => {
  tld = await createTld();
});
const fixture = async (): Promise<Fixture> => withRegistration(await tenantWithEveryone(), tld);
const ref = domainRef;
const registeredRef = (f: Fixture) => ({ tenant: f.slug, domain: f.registered });
const registrationWithHost = (f: Fixture) => registrationWithUnusedHost(tld, f);

interface Operation {
  /** The lib function, as app/ imports it. */
  fn: string;
  label?: string;
  action: Action;
  run: (who: Principal, f: Fixture) => Promise<unknown>;
}

// Each run makes the data it acts on, so every role starts from the same state.
const OPERATIONS: Operation[] = [
  { fn: "listDomains", action: "zone:read", run: (p, f) => listDomains(p, f.slug) },
  { fn: "recordsPage", action: "zone:read", run: (p, f) => recordsPage(p, ref(f), {}) },
  { fn: "zoneHistory", action: "zone:read", run: (p, f) => zoneHistory(p, ref(f)) },
  { fn: "servingStatus", action: "zone:read", run: (p, f) => servingStatus(p, ref(f)) },
  { fn: "addRecord", action: "zone:edit", run: (p, f) => addRecord(p, ref(f), { name: uniqueLabel("a"), type: "A", ttl: 300, content: "192.0.2.9" }) },
  {
    fn: "updateRecord",
    action: "zone:edit",
    run: async (p, f) => {
      const r = await freshRecord(f);
      return updateRecord(p, ref(f), { id: r.id, version: r.version }, { name: r.name, type: "TXT", ttl: 600, content: "y" });
    },
  },
  {
    fn: "deleteRecords",
    action: "zone:edit",
    run: async (p, f) => {
      const r = await freshRecord(f);
      return deleteRecords(p, ref(f), [{ id: r.id, version: r.version }]);
    },
  },
  { fn: "addDomain", action: "domain:manage", run: (p, f) => addDomain(p, f.slug, `${uniqueLabel("d")}.test`) },
  {
    fn: "removeDomain",
    action: "domain:manage",
    run: async (p, f) => {
      const name = `${uniqueLabel("gone")}.test`;
      await createHostedDomain({ tenantId: f.tenantId, name }, TEST_ACTOR);
      return removeDomain(p, f.slug, name, name);
    },
  },
  { fn: "searchName", action: "zone:read", run: (p, f) => searchName(p, f.slug, `${uniqueLabel("s")}.${tld}`) },
  { fn: "domainHeader", action: "zone:read", run: (p, f) => domainHeader(p, registeredRef(f)) },
  { fn: "domainOverview", action: "zone:read", run: (p, f) => domainOverview(p, registeredRef(f)) },
  { fn: "runDelegationCheck", action: "zone:read", run: (p, f) => runDelegationCheck(p, registeredRef(f)) },
  { fn: "registerDomain", action: "domain:manage", run: (p, f) => registerDomain(p, f.slug, `${uniqueLabel("r")}.${tld}`, 1) },
  { fn: "renewDomain", action: "domain:manage", run: (p, f) => renewDomain(p, registeredRef(f), 1) },
  {
    fn: "restoreDomain",
    action: "domain:manage",
    run: async (p, f) => {
      const { name } = await registerFresh(tld, { tenantId: f.tenantId });
      await registryFor(name).delete(name, { actor: TEST_ACTOR });
      return restoreDomain(p, { tenant: f.slug, domain: name }, 1);
    },
  },
  { fn: "setAutoRenew", action: "domain:manage", run: (p, f) => setAutoRenew(p, registeredRef(f), false) },
  { fn: "setTransferLock", action: "domain:manage", run: (p, f) => setTransferLock(p, registeredRef(f), false) },
  { fn: "revealAuthCode", action: "domain:manage", run: (p, f) => revealAuthCode(p, registeredRef(f)) },
  { fn: "regenerateAuthCode", action: "domain:manage", run: (p, f) => regenerateAuthCode(p, registeredRef(f)) },
  // A pre-flight of hosts that cannot answer (nothing listens on 127.0.0.254:53): it reports, it does not throw.
  { fn: "preflightNameserversFor", action: "domain:manage", run: (p, f) => preflightNameserversFor(p, registeredRef(f), [{ name: "ns1.example.org", addresses: ["127.0.0.254"] }]) },
  { fn: "changeNameservers", action: "domain:manage", run: (p, f) => changeNameservers(p, registeredRef(f), { ours: true }, false) },
  {
    fn: "updateHostAddresses",
    action: "domain:manage",
    run: async (p, f) => {
      const { ref: r, host } = await registrationWithHost(f);
      return updateHostAddresses(p, r, host, ["192.0.2.54"]);
    },
  },
  {
    fn: "deleteHost",
    action: "domain:manage",
    run: async (p, f) => {
      const { ref: r, host } = await registrationWithHost(f);
      return deleteHost(p, r, host);
    },
  },
  { fn: "listMembers", action: "member:read", run: (p, f) => listMembers(p, f.slug) },
  { fn: "usageFor", action: "zone:read", run: (p, f) => usageFor(p, f.slug) },
  { fn: "domainTraffic", action: "zone:read", run: (p, f) => domainTraffic(p, ref(f), "1h") },
  { fn: "tenantAuditLog", action: "audit:read", run: (p, f) => tenantAuditLog(p, f.slug, {}) },
  { fn: "tenantAuditExport", action: "audit:read", run: (p, f) => tenantAuditExport(p, f.slug, {}) },
  { fn: "inviteMember", label: "inviteMember as editor", action: "member:manage", run: (p, f) => inviteMember(p, f.slug, { email: `${uniqueLabel("i")}@example.test`, role: "editor" }) },
  { fn: "inviteMember", label: "inviteMember as owner", action: "owner:manage", run: (p, f) => inviteMember(p, f.slug, { email: `${uniqueLabel("i")}@example.test`, role: "owner" }) },
  {
    fn: "revokeInvitation",
    action: "member:manage",
    run: async (p, f) => {
      // Invited by the platform admin, who may even in a suspended tenant.
      const invitation = await inviteMember(f.people.platform, f.slug, { email: `${uniqueLabel("i")}@example.test`, role: "viewer" });
      return revokeInvitation(p, f.slug, invitation.id);
    },
  },
  { fn: "changeRole", label: "changeRole viewer -> editor", action: "member:manage", run: async (p, f) => changeRole(p, f.slug, (await member(f.tenantId, "viewer")).membershipId, "editor") },
  { fn: "changeRole", label: "changeRole of an owner", action: "owner:manage", run: async (p, f) => changeRole(p, f.slug, (await member(f.tenantId, "owner")).membershipId, "admin") },
  { fn: "removeMember", label: "removeMember of a viewer", action: "member:manage", run: async (p, f) => removeMember(p, f.slug, (await member(f.tenantId, "viewer")).membershipId) },
  { fn: "removeMember", label: "removeMember of an owner", action: "owner:manage", run: async (p, f) => removeMember(p, f.slug, (await member(f.tenantId, "owner")).membershipId) },
];

// Platform administration: platform admins only; everyone else finds nothing there.
const PLATFORM_OPERATIONS: { fn: string; run: (p: Principal, f: Fixture) => Promise<unknown> }[] = [
  { fn: "listTenants", run: (p) => listTenants(p) },
  { fn: "createTenant", run: (p) => createTenant(p, { slug: uniqueLabel("t"), name: "New", ownerEmail: `${uniqueLabel("o")}@example.test` }) },
  { fn: "tenantDetail", run: (p, f) => tenantDetail(p, f.slug) },
  { fn: "renameTenant", run: async (p) => renameTenant(p, (await createTenantRow()).slug, "Renamed") },
  { fn: "suspendTenant", run: async (p) => suspendTenant(p, (await createTenantRow()).slug, { kind: "billing", reason: "unpaid" }) },
  { fn: "resumeTenant", run: async (p) => resumeTenant(p, (await createTenantRow({ status: "suspended" })).slug) },
  { fn: "deleteTenant", run: async (p) => deleteTenant(p, (await createTenantRow()).slug) },
  { fn: "setTenantQuotas", run: async (p) => setTenantQuotas(p, (await createTenantRow()).slug, { domains: 5 }) },
  {
    fn: "moveDomain",
    run: async (p) => {
      const zone = await createZone();
      return moveDomain(p, zone.name, (await createTenantRow()).slug);
    },
  },
  { fn: "listUsers", run: (p) => listUsers(p, {}) },
  { fn: "getUser", run: async (p) => getUser(p, (await person()).userId) },
  { fn: "disableUser", run: async (p) => disableUser(p, (await person()).email) },
  { fn: "enableUser", run: async (p) => enableUser(p, (await person()).email) },
  { fn: "setPlatformAdmin", run: async (p) => setPlatformAdmin(p, (await person()).email, true) },
  { fn: "createPasswordReset", run: async (p) => createPasswordReset(p, (await person()).email) },
  { fn: "platformAuditLog", run: (p) => platformAuditLog(p, {}) },
  { fn: "platformAuditExport", run: (p) => platformAuditExport(p, {}) },
  { fn: "platformDashboard", run: (p) => platformDashboard(p, "1h") },
];

// Operations without a tenant permission, tested in their own files: a user's own account, an
// invitation's token, the tenant switcher's list of one's own memberships.
const SELF_OPERATIONS: Record<string, string> = {
  tenantsOf: "tests/integration/accounts.test.ts",
  changeOwnPassword: "tests/integration/accounts.test.ts",
  describeInvitation: "tests/integration/accounts.test.ts",
  acceptInvitationWithPassword: "tests/integration/accounts.test.ts",
  acceptInvitationAsUser: "tests/integration/accounts.test.ts",
  describePasswordReset: "tests/integration/users-admin.test.ts",
  resetPasswordWithToken: "tests/integration/users-admin.test.ts",
};

async function suspend(f: Fixture, kind: "billing" | "abuse") {
  await db().tenant.update({ where: { id: f.tenantId }, data: { status: "suspended", suspensionKind: kind, suspensionReason: kind === "billing" ? "unpaid invoice" : "phishing", suspendedAt: new Date() } });
}

function expected(who: Who, action: Action): "allowed" | "forbidden" | "not found" {
  if (who === "platform") return "allowed";
  if (who === "outsider") return "not found";
  return MAY[who].includes(action) ? "allowed" : "forbidden";
}

async function outcome(work: Promise<unknown>): Promise<"allowed" | "forbidden" | "not found" | string> {
  try {
    await work;
    return "allowed";
  } catch (e) {
    if (e instanceof ForbiddenError) return "forbidden";
    if (e instanceof NotFoundError) return "not found";
    return `unexpected ${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe("panel operations × roles", () => {
  for (const op of OPERATIONS) {
    it(`${op.label ?? op.fn} needs ${op.action}`, async () => {
      const f = await fixture();
      const got: Record<string, string> = {};
      const want: Record<string, string> = {};
      for (const who of EVERYONE) {
        want[who] = expected(who, op.action);
        got[who] = await outcome(op.run(f.people[who], f));
      }
      expect(got).toEqual(want);
    });
  }

  for (const op of PLATFORM_OPERATIONS) {
    it(`${op.fn} is for platform admins only`, async () => {
      const f = await fixture();
      const got: Record<string, string> = {};
      for (const who of EVERYONE) got[who] = await outcome(op.run(f.people[who], f));
      expect(got).toEqual(Object.fromEntries(EVERYONE.map((who) => [who, who === "platform" ? "allowed" : "not found"])));
    });
  }

  it("another tenant's zone is not found even through a tenant the user belongs to", async () => {
    const f = await fixture();
    const theirs = await fixture();
    // f's owner names their own tenant in the URL, and theirs' domain.
    expect(await outcome(recordsPage(f.people.owner, { tenant: f.slug, domain: theirs.zone }, {}))).toBe("not found");
    expect(await outcome(addRecord(f.people.owner, { tenant: f.slug, domain: theirs.zone }, { name: "x", type: "A", content: "192.0.2.1" }))).toBe("not found");
    expect(await outcome(recordsPage(f.people.owner, { tenant: f.slug, domain: "does-not-exist.test" }, {}))).toBe("not found");
  });

  // A member of a suspended tenant (either kind) keeps reading and loses every change; a user
  // disabled while a member finds nothing (their sessions are gone too: tests/integration/users-admin.test.ts).
  for (const op of OPERATIONS) {
    it(`${op.label ?? op.fn}: billing- and abuse-suspended members, a disabled member`, async () => {
      const readOnly = op.action === "zone:read" || op.action === "member:read" || op.action === "audit:read";
      const got: Record<string, string> = {};
      for (const kind of ["billing", "abuse"] as const) {
        const f = await fixture();
        await suspend(f, kind);
        got[`${kind}-suspended owner`] = await outcome(op.run(f.people.owner, f));
        got[`${kind}-suspended viewer`] = await outcome(op.run(f.people.viewer, f));
        got[`platform admin in a ${kind}-suspended tenant`] = await outcome(op.run(f.people.platform, f));
      }
      const f = await fixture();
      await db().user.update({ where: { id: f.people.owner.userId }, data: { disabledAt: new Date() } });
      got["disabled owner"] = await outcome(op.run(f.people.owner, f));
      const suspendedOwner = readOnly ? "allowed" : "forbidden";
      const suspendedViewer = MAY.viewer.includes(op.action) ? "allowed" : "forbidden";
      expect(got).toEqual({
        "billing-suspended owner": suspendedOwner,
        "billing-suspended viewer": suspendedViewer,
        "platform admin in a billing-suspended tenant": "allowed",
        "abuse-suspended owner": suspendedOwner,
        "abuse-suspended viewer": suspendedViewer,
        "platform admin in a abuse-suspended tenant": "allowed",
        "disabled owner": "not found",
      });
    });
  }

  it("a suspended member's refusal names the suspension's kind and reason", async () => {
    const f = await fixture();
    await suspend(f, "billing");
    await expect(addRecord(f.people.owner, ref(f), { name: uniqueLabel("x"), type: "A", content: "192.0.2.1" })).rejects.toThrow(/suspended for billing \(unpaid invoice\)/);
  });

  it("platform admins' access to a tenant is audited", async () => {
    const f = await fixture();
    await listDomains(f.people.platform, f.slug);
    await addRecord(f.people.platform, ref(f), { name: uniqueLabel("p"), type: "A", content: "192.0.2.1" });
    const entries = await db().auditLog.findMany({ where: { actorId: f.people.platform.userId, action: "platform.access", tenantId: f.tenantId } });
    expect(entries.map((e) => (e.details as { action: string }).action).sort()).toEqual(["zone:edit", "zone:read"]);
  });
});

describe("coverage of this matrix", () => {
  const ROOT = path.resolve(import.meta.dirname, "../..");
  const OPERATION_MODULES = [
    "lib/domains.ts",
    "lib/zone/record-edits.ts",
    "lib/zone/records-table.ts",
    "lib/zone/history.ts",
    "lib/zone/serving-status.ts",
    "lib/tenancy/members.ts",
    "lib/tenancy/tenants.ts",
    "lib/auth/account.ts",
    "lib/registrar/domains.ts",
    "lib/registrar/overview.ts",
    "lib/users/users.ts",
    "lib/audit/queries.ts",
    "lib/metrics/dashboard.ts",
    "lib/tenancy/quotas.ts",
    "lib/tenancy/domain-move.ts",
  ];

  function files(dir: string): string[] {
    return readdirSync(path.join(ROOT, dir)).flatMap((entry) => {
      const rel = path.join(dir, entry);
      return statSync(path.join(ROOT, rel)).isDirectory() ? files(rel) : /\.(ts|tsx)$/.test(entry) ? [rel] : [];
    });
  }

  // Functions that skip the permission check on purpose (the CLI acts as the operator; lib calls
  // them after its own check): app/ acts for a signed-in user and must never import them.
  const UNCHECKED = ["auditLogPage", "auditLogBatches", "tenantUsage", "registerDomainFor", "switchNameservers", "restoreRegistration", "createHostedDomain", "hostDomainRegisteredElsewhere"];
  const isUnchecked = (name: string) => UNCHECKED.includes(name) || /[a-z](As|AsOperator)$/.test(name);

  it("app/ imports none of the unchecked variants", () => {
    const offenders: string[] = [];
    for (const file of files("app")) {
      const source = readFileSync(path.join(ROOT, file), "utf8");
      for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@\/(lib\/[^"]+)"/g)) {
        for (const name of match[1].split(",").map((s) => s.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0])) {
          if (name && isUnchecked(name)) offenders.push(`${file}: ${name} from ${match[2]}`);
        }
      }
    }
    expect(isUnchecked("suspendTenantAs") && isUnchecked("disableUserAsOperator") && !isUnchecked("listTenants")).toBe(true);
    expect(offenders).toEqual([]);
  });

  it("every operation that app/ calls from the operation modules has a row", () => {
    const covered = new Set([...OPERATIONS.map((o) => o.fn), ...PLATFORM_OPERATIONS.map((o) => o.fn), ...Object.keys(SELF_OPERATIONS)]);
    const used = new Set<string>();
    for (const file of files("app")) {
      const source = readFileSync(path.join(ROOT, file), "utf8");
      for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@\/(lib\/[^"]+)"/g)) {
        if (!OPERATION_MODULES.includes(match[2])) continue;
        for (const name of match[1].split(",").map((s) => s.trim().replace(/^type\s+/, ""))) {
          if (name && /^[a-z]/.test(name) && !/^[A-Z_]+$/.test(name)) used.add(name.split(/\s+as\s+/)[0]);
        }
      }
    }
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !covered.has(name)).sort()).toEqual([]);
  });
});
