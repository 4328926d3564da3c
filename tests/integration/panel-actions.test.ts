// Every server action and route handler of the panel, as the browser reaches them: each
// "use server" function and route is a one-liner (who asks -> a handler in app/_handlers), so
// these tests call the handlers with each role, a member of another tenant, a platform admin
// and nobody, with real arguments and with hostile ones, against the real database.
//
// The last tests read app/ and fail when an action or route does more than that one line, or
// when a handler has no row here.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { createHostedDomain } from "../../lib/domains.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import type { Principal } from "../../lib/permissions.ts";
import { changePassword } from "../../app/_handlers/account.ts";
import { deleteDomain, hostDomain } from "../../app/_handlers/domains.ts";
import { acceptAsUser, acceptWithPassword } from "../../app/_handlers/invitations.ts";
import { invite, removeFromTenant, revoke, setRole } from "../../app/_handlers/members.ts";
import { removeRecords, saveRecord } from "../../app/_handlers/records.ts";
import { servingStatusResponse } from "../../app/_handlers/serving.ts";
import { addTenant, changeTenantQuotas, liftSuspension, moveTenantDomain, removeTenant, renameTenantTo, suspendTenantWith } from "../../app/_handlers/tenants.ts";
import { changePlatformAdmin, disableAccount, enableAccount, makePasswordResetLink, resetPasswordFromLink } from "../../app/_handlers/users.ts";
import { platformAuditCsvResponse, tenantAuditCsvResponse } from "../../app/_handlers/audit.ts";
import { createTenant, createZone, TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { domainRef, EVERYONE, freshRecord, MAY, member, person, tenantWithEveryone, type TenantFixture, type Who } from "../helpers/people.ts";
import {
  checkDelegationNow, checkDomainName, newAuthCode, preflight, registerNewDomain, removeHost, renew, restore, setHostAddresses, setNameservers,
  showAuthCode, toggleAutoRenew, toggleTransferLock,
} from "../../app/_handlers/registrar.ts";
import { registryFor } from "../../lib/registry/local-registry.ts";
import { createTld, registerFresh, registrationWithUnusedHost, withRegistration } from "../helpers/registry.ts";

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

/** The outcome as the browser sees it: "ok", or the refusal's kind. */
type Outcome = "ok" | "forbidden" | "not-found" | string;
const outcome = async (state: Promise<{ ok: boolean; kind?: string; message?: string }>): Promise<Outcome> => {
  const s = await state;
  return s.ok ? "ok" : `${s.kind}`;
};

/** A route's response as the same outcomes (its body is not read: a CSV stream stays unopened). */
const responseOutcome = async (response: Promise<Response>): Promise<Outcome> => {
  const { status } = await response;
  return status === 200 ? "ok" : status === 403 ? "forbidden" : status === 404 ? "not-found" : status === 401 ? "unauthorized" : `status ${status}`;
};

const expected = (who: Who, action: string): Outcome => (who === "platform" ? "ok" : who === "outsider" ? "not-found" : MAY[who].includes(action) ? "ok" : "forbidden");

interface HandlerCase {
  handler: string;
  label: string;
  action: string;
  run: (p: Principal, f: Fixture) => Promise<Outcome>;
}

const CASES: HandlerCase[] = [
  {
    handler: "saveRecord", label: "saveRecordAction (add)", action: "zone:edit",
    run: (p, f) => outcome(saveRecord(p, ref(f), { record: { name: uniqueLabel("a"), type: "A", ttl: "300", fields: { address: "192.0.2.7" } } })),
  },
  {
    handler: "saveRecord", label: "saveRecordAction (edit)", action: "zone:edit",
    run: async (p, f) => {
      const r = await freshRecord(f);
      return outcome(saveRecord(p, ref(f), { target: { id: r.id, version: r.version }, record: { name: r.name, type: "TXT", ttl: "60", fields: { value: "y" } } }));
    },
  },
  {
    handler: "removeRecords", label: "deleteRecordsAction", action: "zone:edit",
    run: async (p, f) => {
      const r = await freshRecord(f);
      return outcome(removeRecords(p, ref(f), [{ id: r.id, version: r.version }]));
    },
  },
  { handler: "hostDomain", label: "addDomainAction", action: "domain:manage", run: (p, f) => outcome(hostDomain(p, f.slug, `${uniqueLabel("d")}.test`)) },
  {
    handler: "deleteDomain", label: "removeDomainAction", action: "domain:manage",
    run: async (p, f) => {
      const name = `${uniqueLabel("gone")}.test`;
      await createHostedDomain({ tenantId: f.tenantId, name }, TEST_ACTOR);
      return outcome(deleteDomain(p, f.slug, name, name));
    },
  },
  { handler: "invite", label: "inviteMemberAction", action: "member:manage", run: (p, f) => outcome(invite(p, f.slug, { email: `${uniqueLabel("i")}@example.test`, role: "viewer" })) },
  { handler: "setRole", label: "changeRoleAction", action: "member:manage", run: async (p, f) => outcome(setRole(p, f.slug, (await member(f.tenantId, "viewer")).membershipId, "editor")) },
  { handler: "removeFromTenant", label: "removeMemberAction", action: "member:manage", run: async (p, f) => outcome(removeFromTenant(p, f.slug, (await member(f.tenantId, "viewer")).membershipId)) },
  {
    handler: "revoke", label: "revokeInvitationAction", action: "member:manage",
    run: async (p, f) => {
      const created = await invite(f.people.owner, f.slug, { email: `${uniqueLabel("i")}@example.test`, role: "viewer" });
      const invitation = await db().invitation.findFirstOrThrow({ where: { tenantId: f.tenantId }, orderBy: { createdAt: "desc" } });
      expect(created.ok).toBe(true);
      return outcome(revoke(p, f.slug, invitation.id));
    },
  },
  { handler: "checkDomainName", label: "checkDomainNameAction", action: "zone:read", run: (p, f) => outcome(checkDomainName(p, f.slug, `${uniqueLabel("c")}.${tld}`)) },
  { handler: "checkDelegationNow", label: "checkDelegationAction", action: "zone:read", run: (p, f) => outcome(checkDelegationNow(p, registeredRef(f))) },
  { handler: "registerNewDomain", label: "registerDomainAction", action: "domain:manage", run: (p, f) => outcome(registerNewDomain(p, f.slug, `${uniqueLabel("r")}.${tld}`, 1)) },
  { handler: "renew", label: "renewAction", action: "domain:manage", run: (p, f) => outcome(renew(p, registeredRef(f), 1)) },
  {
    handler: "restore", label: "restoreAction", action: "domain:manage",
    run: async (p, f) => {
      const { name } = await registerFresh(tld, { tenantId: f.tenantId });
      await registryFor(name).delete(name, { actor: TEST_ACTOR });
      return outcome(restore(p, { tenant: f.slug, domain: name }, 1));
    },
  },
  { handler: "toggleAutoRenew", label: "setAutoRenewAction", action: "domain:manage", run: (p, f) => outcome(toggleAutoRenew(p, registeredRef(f), false)) },
  { handler: "toggleTransferLock", label: "setTransferLockAction", action: "domain:manage", run: (p, f) => outcome(toggleTransferLock(p, registeredRef(f), false)) },
  { handler: "showAuthCode", label: "revealAuthCodeAction", action: "domain:manage", run: (p, f) => outcome(showAuthCode(p, registeredRef(f))) },
  { handler: "newAuthCode", label: "regenerateAuthCodeAction", action: "domain:manage", run: (p, f) => outcome(newAuthCode(p, registeredRef(f))) },
  { handler: "preflight", label: "preflightAction", action: "domain:manage", run: (p, f) => outcome(preflight(p, registeredRef(f), [{ name: "ns1.example.org", addresses: ["127.0.0.254"] }])) },
  { handler: "setNameservers", label: "setNameserversAction", action: "domain:manage", run: (p, f) => outcome(setNameservers(p, registeredRef(f), { ours: true }, false)) },
  {
    handler: "setHostAddresses", label: "setHostAddressesAction", action: "domain:manage",
    run: async (p, f) => {
      const { ref: r, host } = await registrationWithHost(f);
      return outcome(setHostAddresses(p, r, host, ["192.0.2.54"]));
    },
  },
  {
    handler: "removeHost", label: "deleteHostAction", action: "domain:manage",
    run: async (p, f) => {
      const { ref: r, host } = await registrationWithHost(f);
      return outcome(removeHost(p, r, host));
    },
  },
  {
    handler: "servingStatusResponse", label: "GET /api/t/<tenant>/domains/<domain>/serving", action: "zone:read",
    run: async (p, f) => {
      const status = (await servingStatusResponse(p, ref(f))).status;
      return status === 200 ? "ok" : status === 403 ? "forbidden" : status === 404 ? "not-found" : `HTTP ${status}`;
    },
  },
];

CASES.push({ handler: "tenantAuditCsvResponse", label: "GET /api/t/<tenant>/audit/csv", action: "audit:read", run: (p, f) => responseOutcome(tenantAuditCsvResponse(p, f.slug, new URLSearchParams())) });

const PLATFORM_CASES: HandlerCase[] = [
  { handler: "addTenant", label: "createTenantAction", action: "platform", run: (p) => outcome(addTenant(p, { slug: uniqueLabel("t"), name: "T", ownerEmail: `${uniqueLabel("o")}@example.test` })) },
  { handler: "renameTenantTo", label: "renameTenantAction", action: "platform", run: async (p) => outcome(renameTenantTo(p, (await createTenant()).slug, "Renamed")) },
  { handler: "suspendTenantWith", label: "suspendTenantAction", action: "platform", run: async (p) => outcome(suspendTenantWith(p, (await createTenant()).slug, { kind: "abuse", reason: "phishing" })) },
  { handler: "liftSuspension", label: "resumeTenantAction", action: "platform", run: async (p) => outcome(liftSuspension(p, (await createTenant({ status: "suspended" })).slug)) },
  { handler: "removeTenant", label: "deleteTenantAction", action: "platform", run: async (p) => outcome(removeTenant(p, (await createTenant()).slug)) },
  { handler: "changeTenantQuotas", label: "setTenantQuotasAction", action: "platform", run: async (p) => outcome(changeTenantQuotas(p, (await createTenant()).slug, { domains: "5" })) },
  { handler: "moveTenantDomain", label: "moveDomainAction", action: "platform", run: async (p) => outcome(moveTenantDomain(p, (await createZone()).name, (await createTenant()).slug)) },
  { handler: "disableAccount", label: "disableUserAction", action: "platform", run: async (p) => outcome(disableAccount(p, (await person()).email)) },
  { handler: "enableAccount", label: "enableUserAction", action: "platform", run: async (p) => outcome(enableAccount(p, (await person()).email)) },
  { handler: "makePasswordResetLink", label: "passwordResetLinkAction", action: "platform", run: async (p) => outcome(makePasswordResetLink(p, (await person()).email)) },
  { handler: "changePlatformAdmin", label: "setPlatformAdminAction", action: "platform", run: async (p) => outcome(changePlatformAdmin(p, (await person()).email, true)) },
  { handler: "platformAuditCsvResponse", label: "GET /api/admin/audit/csv", action: "platform", run: (p) => responseOutcome(platformAuditCsvResponse(p, new URLSearchParams())) },
];

describe("server actions and routes × who asks", () => {
  for (const c of CASES) {
    it(`${c.label} needs ${c.action}`, async () => {
      const f = await fixture();
      const got: Record<string, Outcome> = {};
      for (const who of EVERYONE) got[who] = await c.run(f.people[who], f);
      expect(got).toEqual(Object.fromEntries(EVERYONE.map((who) => [who, expected(who, c.action)])));
    });
  }

  for (const c of PLATFORM_CASES) {
    it(`${c.label} is for platform admins only`, async () => {
      const f = await fixture();
      const got: Record<string, Outcome> = {};
      for (const who of EVERYONE) got[who] = await c.run(f.people[who], f);
      expect(got).toEqual(Object.fromEntries(EVERYONE.map((who) => [who, who === "platform" ? "ok" : "not-found"])));
    });
  }

  it("the audit CSV routes answer 401 to nobody", async () => {
    const f = await fixture();
    expect(await responseOutcome(platformAuditCsvResponse(null, new URLSearchParams()))).toBe("unauthorized");
    expect(await responseOutcome(tenantAuditCsvResponse(null, f.slug, new URLSearchParams()))).toBe("unauthorized");
  });

  it("the serving route answers 401 to nobody, and 404 for another tenant's domain named under one's own tenant", async () => {
    const f = await fixture();
    const theirs = await fixture();
    expect((await servingStatusResponse(null, ref(f))).status).toBe(401);
    expect((await servingStatusResponse(f.people.owner, { tenant: f.slug, domain: theirs.zone })).status).toBe(404);
    const ok = await servingStatusResponse(f.people.viewer, ref(f));
    expect(await ok.json()).toMatchObject({ served: true, serial: expect.any(Number), nameservers: expect.any(Array) });
  });

  it("accounts: one's own password; invitations by token", async () => {
    const f = await fixture();
    const user = await db().user.create({ data: { email: `${uniqueLabel("me")}@example.test`, passwordHash: await hashPassword("the old password") } });
    const me: Principal = { userId: user.id, email: user.email, isPlatformAdmin: false };
    expect(await outcome(changePassword(me, { currentPassword: "wrong", newPassword: "a new password!" }))).toBe("invalid");
    expect(await outcome(changePassword(me, { currentPassword: "the old password", newPassword: "a new password!" }))).toBe("ok");

    const state = await invite(f.people.admin, f.slug, { email: me.email, role: "viewer" });
    const token = state.ok ? state.result.url.split("/invite/")[1] : "";
    expect(await outcome(acceptAsUser(null, token))).toBe("forbidden");
    expect(await outcome(acceptAsUser(f.people.viewer, token))).toBe("forbidden"); // not the invited email
    expect(await outcome(acceptWithPassword(token, { name: "", password: "a new password!" }))).toBe("conflict"); // has an account
    expect(await outcome(acceptAsUser(me, token))).toBe("ok");
    expect(await outcome(acceptAsUser(me, token))).toBe("conflict"); // once
  });
});

describe("hostile arguments", () => {
  it("are refused as invalid input before they reach the database", async () => {
    const f = await fixture();
    const owner = f.people.owner;
    await member(f.tenantId, "owner"); // so that the last-owner rule cannot hide a wrong target
    const rolesBefore = await db().membership.findMany({ where: { tenantId: f.tenantId }, select: { id: true, role: true }, orderBy: { id: "asc" } });
    const refusals = await Promise.all([
      outcome(setRole(owner, f.slug, { not: "" }, "editor")), // a Prisma filter instead of an id
      outcome(removeFromTenant(owner, f.slug, { in: ["x"] })),
      outcome(revoke(owner, { slug: f.slug }, "x")),
      outcome(hostDomain(owner, f.slug, { name: "x.test" })),
      outcome(saveRecord(owner, { tenant: f.slug, domain: { contains: "" } }, { record: { name: "a", type: "A", ttl: "1", fields: {} } })),
      outcome(saveRecord(owner, ref(f), { record: { name: "a", type: "A", ttl: "300", fields: { address: { toString: "x" } } } })),
      outcome(removeRecords(owner, ref(f), [{ id: { not: "" }, version: 1 }])),
      outcome(acceptWithPassword(12345, { name: "", password: "a good long password" })),
      outcome(suspendTenantWith(f.people.platform, f.slug, { kind: "deleted", reason: "x" })),
      outcome(resetPasswordFromLink({ not: "" }, { password: "a good long password", confirm: "a good long password" })),
      outcome(registerNewDomain(owner, f.slug, { contains: "" }, 1)),
      outcome(registerNewDomain(owner, f.slug, `${uniqueLabel("r")}.${tld}`, "1; DROP TABLE")),
      outcome(renew(owner, registeredRef(f), 99)),
      outcome(toggleAutoRenew(owner, registeredRef(f), "false")),
      outcome(setNameservers(owner, registeredRef(f), { ours: false, hosts: "ns1.example.org" }, true)),
      outcome(setNameservers(owner, registeredRef(f), { ours: true }, "yes")),
      outcome(setHostAddresses(owner, registeredRef(f), `ns1.${f.registered}`, { in: ["x"] })),
    ]);
    expect(refusals).toEqual(Array(refusals.length).fill("invalid"));
    expect(await db().membership.findMany({ where: { tenantId: f.tenantId }, select: { id: true, role: true }, orderBy: { id: "asc" } })).toEqual(rolesBefore);
  });

  it("ids of another tenant's members, invitations or records are not found through this tenant", async () => {
    const mine = await fixture();
    const theirs = await fixture();
    const theirMember = await member(theirs.tenantId, "viewer");
    const theirRecord = await freshRecord(theirs);
    await invite(theirs.people.owner, theirs.slug, { email: `${uniqueLabel("x")}@example.test`, role: "viewer" });
    const theirInvitation = await db().invitation.findFirstOrThrow({ where: { tenantId: theirs.tenantId } });
    expect(await outcome(setRole(mine.people.owner, mine.slug, theirMember.membershipId, "admin"))).toBe("not-found");
    expect(await outcome(removeFromTenant(mine.people.owner, mine.slug, theirMember.membershipId))).toBe("not-found");
    expect(await outcome(revoke(mine.people.owner, mine.slug, theirInvitation.id))).toBe("not-found");
    // A record id of another zone is not in this zone: the edit is refused, nothing changes.
    expect(await outcome(removeRecords(mine.people.owner, ref(mine), [{ id: theirRecord.id, version: theirRecord.version }]))).toBe("conflict");
    expect(await db().record.count({ where: { id: theirRecord.id } })).toBe(1);
    expect(await db().membership.findUnique({ where: { id: theirMember.membershipId } })).toMatchObject({ role: "viewer" });
  });

  it("re-inviting an email over a pending owner invitation needs the owner right", async () => {
    const f = await fixture();
    const email = `${uniqueLabel("boss")}@example.test`;
    expect(await outcome(invite(f.people.owner, f.slug, { email, role: "owner" }))).toBe("ok");
    expect(await outcome(invite(f.people.admin, f.slug, { email, role: "viewer" }))).toBe("forbidden");
    expect(await db().invitation.findFirst({ where: { tenantId: f.tenantId, email } })).toMatchObject({ role: "owner" });
  });

  it("removing a domain needs its name typed again", async () => {
    const f = await fixture();
    const state = await deleteDomain(f.people.owner, f.slug, f.zone, "yes");
    expect(state).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { confirmation: `type ${f.zone} to confirm` } });
    expect(await db().zone.count({ where: { id: f.zoneId } })).toBe(1);
  });
});

describe("the shape of app/", () => {
  const ROOT = path.resolve(import.meta.dirname, "../..");
  const files = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir)).flatMap((entry) => {
      const rel = path.join(dir, entry);
      return statSync(path.join(ROOT, rel)).isDirectory() ? files(rel) : [rel];
    });

  it("server actions and routes only ask who is signed in and call a handler", () => {
    const edges = files("app").filter((f) => /(^|\/)(actions|route)\.ts$/.test(f) && !f.includes("api/auth") && !f.includes("api/health"));
    expect(edges.length).toBeGreaterThanOrEqual(7);
    const offenders = edges.flatMap((file) => {
      const imports = [...readFileSync(path.join(ROOT, file), "utf8").matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
      return imports.filter((i) => !["next/cache", "@/lib/auth/session.ts"].includes(i) && !i.startsWith("@/app/_handlers/")).map((i) => `${file}: ${i}`);
    });
    expect(offenders).toEqual([]);
  });

  it("every handler has a row above", () => {
    const tested = new Set([...CASES, ...PLATFORM_CASES].map((c) => c.handler).concat(["changePassword", "acceptAsUser", "acceptWithPassword", "resetPasswordFromLink"]));
    // Public RDAP (no principal, nothing to authorize): tests/integration/rdap-whois.test.ts.
    for (const handler of ["rdapDomainResponse", "rdapNameserverResponse", "rdapHelpResponse"]) tested.add(handler);
    const handlers = files("app/_handlers")
      .filter((f) => !f.endsWith("schemas.ts"))
      .flatMap((f) => [...readFileSync(path.join(ROOT, f), "utf8").matchAll(/export (?:async )?function (\w+)/g)].map((m) => m[1]));
    expect(handlers.length).toBeGreaterThanOrEqual(13);
    expect(handlers.filter((h) => !tested.has(h))).toEqual([]);
  });
});
