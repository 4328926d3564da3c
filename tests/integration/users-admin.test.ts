// User administration (lib/users/users.ts, `npm run cli -- user ...`): the list, disabling
// (every session ends at once, sign-in refused), enabling, password reset links, platform admin
// grants, and the last platform admin, who stays even when two admins act against each other at
// once. The last-admin races run in a database of their own: the suite's shared one has other
// tests' platform admins.
import { describe, expect, it } from "vitest";
import { db, type Db } from "../../lib/db/client.ts";
import { startAuthSession, userOfAuthSession } from "../../lib/auth/auth-sessions.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { SIGN_IN_FAILED, SignInError, verifySignIn } from "../../lib/auth/sign-in.ts";
import { ACCOUNT_FAILURE_LIMIT } from "../../lib/auth/throttle.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { Principal } from "../../lib/permissions.ts";
import { PASSWORD_RESET_LIFETIME_HOURS } from "../../lib/users/password-resets.ts";
import { USERS_PAGE_SIZE } from "../../lib/users/schemas.ts";
import {
  createPasswordReset,
  describePasswordReset,
  disableUser,
  disableUserAsOperator,
  enableUser,
  getUser,
  listUsers,
  RESET_LINK_INVALID,
  resetPasswordWithToken,
  setPlatformAdmin,
  setPlatformAdminAsOperator,
} from "../../lib/users/users.ts";
import { changePlatformAdmin, disableAccount, enableAccount, makePasswordResetLink, resetPasswordFromLink } from "../../app/_handlers/users.ts";
import { cli } from "../helpers/cli.ts";
import { createTenant, uniqueLabel } from "../helpers/factories.ts";
import { useOwnDatabase } from "../helpers/own-database.ts";

const PASSWORD = "a good long password";
const NEW_PASSWORD = "another long password";
const ADMIN_ADDRESS = "198.51.100.7";

async function user(opts: { password?: string | null; name?: string; email?: string; platform?: boolean; client?: Db } = {}) {
  const email = opts.email ?? `${uniqueLabel("u")}@example.test`;
  const password = opts.password === undefined ? PASSWORD : opts.password;
  const u = await (opts.client ?? db()).user.create({
    data: { email, name: opts.name ?? "", passwordHash: password ? await hashPassword(password) : null, isPlatformAdmin: opts.platform ?? false },
  });
  const principal: Principal = { userId: u.id, email, isPlatformAdmin: u.isPlatformAdmin };
  return { ...u, principal };
}

/** A platform admin acting from a browser (so with a client address). */
async function admin(client?: Db): Promise<Principal> {
  const a = await user({ platform: true, password: null, client });
  return { ...a.principal, clientAddress: ADMIN_ADDRESS };
}

// A client address of its own for each sign-in, so the per-address limit never interferes.
let nextAddress = 0;
const address = () => `2001:db8:${process.pid.toString(16)}:${(++nextAddress).toString(16)}::2`;

async function signIn(email: string, password: string): Promise<string> {
  try {
    await verifySignIn({ email, password }, address());
    return "signed in";
  } catch (e) {
    if (e instanceof SignInError) return e.message;
    throw e;
  }
}

const tokenOf = (url: string) => new URL(url).pathname.replace(/^\/reset\//, "");

async function auditEntries(action: string, target: string, client: Db = db()) {
  return client.auditLog.findMany({ where: { action, target }, orderBy: { createdAt: "asc" } });
}

describe("the users list", () => {
  it("searches by email or name, filters by status and platform admin, sorts and pages in SQL", async () => {
    const me = await admin();
    const tag = uniqueLabel("list");
    const tenant = await createTenant();
    const alice = await user({ email: `alice-${tag}@example.test`, name: "Alice Example" });
    const bob = await user({ email: `bob-${tag}@example.test`, name: `Bob ${tag}`, platform: true });
    const carol = await user({ email: `carol-${tag}@example.test`, password: null });
    const dave = await user({ email: `dave-${tag}@example.test` });
    await db().membership.create({ data: { userId: alice.id, tenantId: tenant.id, role: "editor" } });
    await db().user.update({ where: { id: dave.id }, data: { disabledAt: new Date() } });
    await db().user.update({ where: { id: alice.id }, data: { lastSignInAt: new Date("2026-01-02T00:00:00Z") } });
    await db().user.update({ where: { id: bob.id }, data: { lastSignInAt: new Date("2026-03-04T00:00:00Z") } });

    const all = await listUsers(me, { q: tag });
    expect(all.total).toBe(4);
    expect(all.rows.map((r) => r.email)).toEqual([alice.email, bob.email, carol.email, dave.email]);
    const rowOf = (email: string) => all.rows.find((r) => r.email === email)!;
    expect(rowOf(alice.email)).toMatchObject({ name: "Alice Example", status: "active", isPlatformAdmin: false, tenants: [{ slug: tenant.slug, name: tenant.name, role: "editor" }] });
    expect(new Date(rowOf(alice.email).lastSignInAt!).toISOString()).toBe("2026-01-02T00:00:00.000Z");
    expect(rowOf(bob.email)).toMatchObject({ status: "active", isPlatformAdmin: true, tenants: [] });
    expect(rowOf(carol.email)).toMatchObject({ status: "invited", lastSignInAt: null });
    expect(rowOf(dave.email)).toMatchObject({ status: "disabled" });
    expect(rowOf(dave.email).disabledAt).not.toBeNull();
    expect(new Date(rowOf(carol.email).createdAt).getTime()).toBeGreaterThan(0);

    // By name, case-insensitively; LIKE's wildcards are plain characters.
    expect((await listUsers(me, { q: "ALICE EXAMPLE" })).rows.map((r) => r.email)).toContain(alice.email);
    expect((await listUsers(me, { q: `bob ${tag}` })).rows.map((r) => r.email)).toEqual([bob.email]);
    expect((await listUsers(me, { q: `${tag}%` })).total).toBe(0);
    expect((await listUsers(me, { q: `_${tag}` })).total).toBe(0);

    const emails = async (query: Record<string, string>) => (await listUsers(me, { q: tag, ...query })).rows.map((r) => r.email);
    expect(await emails({ status: "active" })).toEqual([alice.email, bob.email]);
    expect(await emails({ status: "disabled" })).toEqual([dave.email]);
    expect(await emails({ status: "invited" })).toEqual([carol.email]);
    expect(await emails({ admin: "yes" })).toEqual([bob.email]);
    expect(await emails({ admin: "no", status: "active" })).toEqual([alice.email]);
    expect(await emails({ sort: "email", dir: "desc" })).toEqual([dave.email, carol.email, bob.email, alice.email]);
    // Never signed in: last, whichever the direction.
    expect(await emails({ sort: "lastSignIn", dir: "desc" })).toEqual([bob.email, alice.email, carol.email, dave.email]);
    expect(await emails({ sort: "lastSignIn", dir: "asc" })).toEqual([alice.email, bob.email, carol.email, dave.email]);
    expect(await emails({ sort: "created", dir: "desc" })).toEqual([dave.email, carol.email, bob.email, alice.email]);
    // Nonsense in the URL falls back to the defaults.
    expect(await emails({ sort: "passwordHash; DROP TABLE", status: "root", page: "-3" })).toEqual([alice.email, bob.email, carol.email, dave.email]);

    const detail = await getUser(me, alice.id);
    expect(detail).toMatchObject({ user: { email: alice.email, status: "active" }, liveSessions: 0, pendingResetExpiresAt: null, isYou: false });
  });

  it(`pages of ${USERS_PAGE_SIZE}: a page past the end is the last page`, async () => {
    const me = await admin();
    const tag = uniqueLabel("page");
    const count = USERS_PAGE_SIZE + 7;
    await db().user.createMany({ data: Array.from({ length: count }, (_, i) => ({ email: `${tag}-${String(i).padStart(3, "0")}@example.test` })) });
    const first = await listUsers(me, { q: tag });
    expect(first).toMatchObject({ total: count, pages: 2, query: { page: 1 } });
    expect(first.rows).toHaveLength(USERS_PAGE_SIZE);
    expect(first.rows[0].email).toBe(`${tag}-000@example.test`);
    const second = await listUsers(me, { q: tag, page: "2" });
    expect(second.rows.map((r) => r.email)).toEqual(Array.from({ length: 7 }, (_, i) => `${tag}-${String(USERS_PAGE_SIZE + i).padStart(3, "0")}@example.test`));
    expect((await listUsers(me, { q: tag, page: "99" })).query.page).toBe(2);
  });

  it("is for platform admins only: others find nothing", async () => {
    const someone = await user();
    await expect(listUsers(someone.principal, {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(getUser(someone.principal, someone.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getUser(await admin(), "no-such-user")).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("disabling and enabling a user", () => {
  it("ends every session at once and refuses sign-in with the usual message; enabling restores sign-in", async () => {
    const me = await admin();
    const u = await user();
    expect(await signIn(u.email, PASSWORD)).toBe("signed in");
    const sessions = [await startAuthSession(u.id), await startAuthSession(u.id)];
    for (const s of sessions) expect(await userOfAuthSession(s)).toMatchObject({ id: u.id });

    expect(await disableUser(me, u.email.toUpperCase())).toEqual({ email: u.email, changed: true, sessionsEnded: 2 });
    for (const s of sessions) expect(await userOfAuthSession(s)).toBeNull();
    expect(await db().authSession.count({ where: { userId: u.id } })).toBe(0);
    expect(await signIn(u.email, PASSWORD)).toBe(SIGN_IN_FAILED);
    // Again: nothing to do, nothing audited.
    expect(await disableUser(me, u.email)).toMatchObject({ changed: false });

    expect(await enableUser(me, u.email)).toEqual({ email: u.email, changed: true, sessionsEnded: 0 });
    expect(await signIn(u.email, PASSWORD)).toBe("signed in");
    // The ended sessions stay ended.
    for (const s of sessions) expect(await userOfAuthSession(s)).toBeNull();
    expect(await enableUser(me, u.email)).toMatchObject({ changed: false });

    const disabled = await auditEntries("user.disable", u.email);
    expect(disabled).toHaveLength(1);
    expect(disabled[0]).toMatchObject({ actorId: me.userId, actorLabel: me.email, clientAddress: ADMIN_ADDRESS, tenantId: null, details: { sessionsEnded: 2 } });
    expect(await auditEntries("user.enable", u.email)).toMatchObject([{ actorId: me.userId, actorLabel: me.email, clientAddress: ADMIN_ADDRESS }]);
  });

  it("refuses others than platform admins (not found), and unknown or malformed emails", async () => {
    const target = await user();
    const session = await startAuthSession(target.id);
    const someone = await user();
    await expect(disableUser(someone.principal, target.email)).rejects.toBeInstanceOf(NotFoundError);
    await expect(setPlatformAdmin(someone.principal, someone.email, true)).rejects.toBeInstanceOf(NotFoundError);
    await expect(createPasswordReset(someone.principal, target.email)).rejects.toBeInstanceOf(NotFoundError);
    expect(await userOfAuthSession(session)).toMatchObject({ id: target.id });
    // A principal built before its admin flag was revoked cannot act on it.
    const stale = await admin();
    await db().user.update({ where: { id: stale.userId }, data: { isPlatformAdmin: false } });
    await expect(disableUser(stale, target.email)).rejects.toBeInstanceOf(NotFoundError);
    expect(await userOfAuthSession(session)).toMatchObject({ id: target.id });

    const me = await admin();
    await expect(disableUser(me, "nobody-here@example.test")).rejects.toThrow("user nobody-here@example.test not found");
    await expect(disableUser(me, "not an email")).rejects.toBeInstanceOf(ValidationError);
    await expect(disableUser(me, { contains: "@" })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("password reset links", () => {
  it("work once, end every session of the user, and the new password works", async () => {
    const me = await admin();
    const u = await user();
    const session = await startAuthSession(u.id);
    const link = await createPasswordReset(me, u.email);
    expect(link.url).toMatch(/\/reset\/[A-Za-z0-9_-]{43}$/);
    expect(link.expiresAt.getTime() - Date.now()).toBeGreaterThan((PASSWORD_RESET_LIFETIME_HOURS - 1) * 3600 * 1000);
    expect(link.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(PASSWORD_RESET_LIFETIME_HOURS * 3600 * 1000);
    const token = tokenOf(link.url);
    // Only the token's hash is stored.
    expect(JSON.stringify(await db().passwordReset.findMany({ where: { userId: u.id } }))).not.toContain(token);
    expect(await describePasswordReset(token)).toMatchObject({ state: "valid", email: u.email, disabled: false });
    expect((await getUser(me, u.id)).pendingResetExpiresAt).toEqual(link.expiresAt);

    // The password policy applies; a refused password leaves the link usable.
    await expect(resetPasswordWithToken(token, { password: "short" })).rejects.toBeInstanceOf(ValidationError);
    expect((await describePasswordReset(token)).state).toBe("valid");

    expect(await resetPasswordWithToken(token, { password: NEW_PASSWORD })).toEqual({ email: u.email, disabled: false });
    expect(await userOfAuthSession(session)).toBeNull();
    expect(await signIn(u.email, PASSWORD)).toBe(SIGN_IN_FAILED);
    expect(await signIn(u.email, NEW_PASSWORD)).toBe("signed in");

    // Used: refused with the one message, and the password stays.
    expect((await describePasswordReset(token)).state).toBe("used");
    await expect(resetPasswordWithToken(token, { password: "a third long password" })).rejects.toThrow(new ConflictError(RESET_LINK_INVALID));
    expect(await signIn(u.email, NEW_PASSWORD)).toBe("signed in");

    expect(await auditEntries("user.password-reset.create", u.email)).toMatchObject([{ actorId: me.userId, actorLabel: me.email, clientAddress: ADMIN_ADDRESS, tenantId: null }]);
    expect(await auditEntries("user.password-reset", u.email)).toMatchObject([{ actorId: u.id, actorLabel: u.email, details: { sessionsEnded: 1 } }]);
  });

  it("refuses expired, replaced and unknown links with one clear message", async () => {
    const me = await admin();
    const u = await user();
    const expired = tokenOf((await createPasswordReset(me, u.email)).url);
    await db().passwordReset.updateMany({ where: { userId: u.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await describePasswordReset(expired)).state).toBe("expired");
    await expect(resetPasswordWithToken(expired, { password: NEW_PASSWORD })).rejects.toThrow(new ConflictError(RESET_LINK_INVALID));

    const older = tokenOf((await createPasswordReset(me, u.email)).url);
    const newer = tokenOf((await createPasswordReset(me, u.email)).url);
    expect((await describePasswordReset(older)).state).not.toBe("valid");
    await expect(resetPasswordWithToken(older, { password: NEW_PASSWORD })).rejects.toThrow(new ConflictError(RESET_LINK_INVALID));

    expect(await describePasswordReset("no-such-token")).toEqual({ state: "unknown" });
    await expect(resetPasswordWithToken("no-such-token", { password: NEW_PASSWORD })).rejects.toThrow(new ConflictError(RESET_LINK_INVALID));
    expect(await signIn(u.email, PASSWORD)).toBe("signed in");

    // Two submissions of one link at once: one sets the password.
    const outcomes = await Promise.allSettled([
      resetPasswordWithToken(newer, { password: NEW_PASSWORD }),
      resetPasswordWithToken(newer, { password: "a third long password" }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason).toEqual(new ConflictError(RESET_LINK_INVALID));
  });

  it("lets a locked-out user in with the new password", async () => {
    const me = await admin();
    const u = await user();
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) expect(await signIn(u.email, `wrong ${i}`)).toBe(SIGN_IN_FAILED);
    expect(await signIn(u.email, PASSWORD)).toMatch(/^Too many failed sign-in attempts/);
    await resetPasswordWithToken(tokenOf((await createPasswordReset(me, u.email)).url), { password: NEW_PASSWORD });
    expect(await signIn(u.email, NEW_PASSWORD)).toBe("signed in");
  });

  it("a disabled user: earlier links stop working; a new one sets the password, and the user stays disabled until enabled", async () => {
    const me = await admin();
    const u = await user();
    const before = tokenOf((await createPasswordReset(me, u.email)).url);
    await disableUser(me, u.email);
    expect((await describePasswordReset(before)).state).not.toBe("valid");
    await expect(resetPasswordWithToken(before, { password: NEW_PASSWORD })).rejects.toThrow(new ConflictError(RESET_LINK_INVALID));

    const link = await createPasswordReset(me, u.email);
    expect(link.disabled).toBe(true);
    expect(await describePasswordReset(tokenOf(link.url))).toMatchObject({ state: "valid", disabled: true });
    expect(await resetPasswordWithToken(tokenOf(link.url), { password: NEW_PASSWORD })).toEqual({ email: u.email, disabled: true });
    expect(await signIn(u.email, NEW_PASSWORD)).toBe(SIGN_IN_FAILED);
    await enableUser(me, u.email);
    expect(await signIn(u.email, NEW_PASSWORD)).toBe("signed in");
  });

  it("an invited user without a password can set one", async () => {
    const me = await admin();
    const u = await user({ password: null });
    await resetPasswordWithToken(tokenOf((await createPasswordReset(me, u.email)).url), { password: NEW_PASSWORD });
    expect(await signIn(u.email, NEW_PASSWORD)).toBe("signed in");
  });
});

describe("platform admin", () => {
  it("is granted and revoked, audited; the flag decides access to the area", async () => {
    const me = await admin();
    const u = await user();
    expect(await setPlatformAdmin(me, u.email, true)).toEqual({ email: u.email, changed: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).isPlatformAdmin).toBe(true);
    await expect(listUsers({ ...u.principal, isPlatformAdmin: true }, { q: u.email })).resolves.toMatchObject({ total: 1 });
    expect(await setPlatformAdmin(me, u.email, true)).toEqual({ email: u.email, changed: false });
    expect(await setPlatformAdmin(me, u.email, false)).toEqual({ email: u.email, changed: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).isPlatformAdmin).toBe(false);
    await expect(setPlatformAdmin(me, u.email, "yes" as unknown as boolean)).rejects.toBeInstanceOf(ValidationError);

    expect(await auditEntries("platform-admin.grant", u.email)).toMatchObject([{ actorId: me.userId, actorLabel: me.email, clientAddress: ADMIN_ADDRESS, tenantId: null }]);
    expect(await auditEntries("platform-admin.revoke", u.email)).toMatchObject([{ actorId: me.userId, actorLabel: me.email, clientAddress: ADMIN_ADDRESS }]);
  });
});

describe("the last platform admin", () => {
  const own = useOwnDatabase("users_admin_");
  const ROUNDS = 15;

  /** Exactly two enabled platform admins in the database, and nobody else an admin. */
  async function twoAdmins(): Promise<[Principal, Principal]> {
    const client = own.client;
    await client.user.updateMany({ data: { isPlatformAdmin: false } });
    return [await admin(client), await admin(client)];
  }

  const activeAdmins = () => own.client.user.count({ where: { isPlatformAdmin: true, disabledAt: null } });

  it("stays when two admins revoke each other at once, round after round", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = await twoAdmins();
      const outcomes = await Promise.allSettled([setPlatformAdmin(a, b.email, false, own.client), setPlatformAdmin(b, a.email, false, own.client)]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const refused = (outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason;
      // The loser is either the last admin now or no longer an admin: refused either way.
      expect(refused instanceof ValidationError || refused instanceof NotFoundError).toBe(true);
      expect(await activeAdmins()).toBe(1);
    }
  });

  it("stays when two admins disable each other at once, round after round", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = await twoAdmins();
      const outcomes = await Promise.allSettled([disableUser(a, b.email, own.client), disableUser(b, a.email, own.client)]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      expect(await activeAdmins()).toBe(1);
      expect(await own.client.user.count({ where: { disabledAt: { not: null }, id: { in: [a.userId, b.userId] } } })).toBe(1);
    }
  });

  it("stays when one disables while the other revokes", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = await twoAdmins();
      const outcomes = await Promise.allSettled([disableUser(a, b.email, own.client), setPlatformAdmin(b, a.email, false, own.client)]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      expect(await activeAdmins()).toBe(1);
    }
  });

  it("cannot disable or revoke themselves, nor be disabled or revoked by the operator; one of two may step down", async () => {
    const [a, b] = await twoAdmins();
    expect(await setPlatformAdmin(a, a.email, false, own.client)).toMatchObject({ changed: true });
    const lastMessage = `${b.email} is the last platform admin and cannot be revoked: make someone else a platform admin first`;
    await expect(setPlatformAdmin(b, b.email, false, own.client)).rejects.toThrow(lastMessage);
    await expect(disableUser(b, b.email, own.client)).rejects.toThrow(`${b.email} is the last platform admin and cannot be disabled`);
    await expect(setPlatformAdminAsOperator({ label: "cli" }, b.email, false, own.client)).rejects.toBeInstanceOf(ValidationError);
    await expect(disableUserAsOperator({ label: "cli" }, b.email, own.client)).rejects.toBeInstanceOf(ValidationError);
    expect(await activeAdmins()).toBe(1);
    // A disabled admin does not count: with another enabled admin, b may go.
    const c = await admin(own.client);
    await own.client.user.update({ where: { id: c.userId }, data: { disabledAt: new Date() } });
    await expect(disableUser(b, b.email, own.client)).rejects.toBeInstanceOf(ValidationError);
    expect(await setPlatformAdmin(b, c.email, false, own.client)).toMatchObject({ changed: true });
    await admin(own.client);
    expect(await disableUser(b, b.email, own.client)).toMatchObject({ changed: true });
    expect(await activeAdmins()).toBe(1);
    // The operator grants through the same rules, audited as "cli".
    expect(await setPlatformAdminAsOperator({ label: "cli" }, a.email, true, own.client)).toMatchObject({ changed: true });
    expect(await auditEntries("platform-admin.grant", a.email, own.client)).toMatchObject([{ actorId: null, actorLabel: "cli", clientAddress: null }]);
    expect(await activeAdmins()).toBe(2);
  });
});

describe("the pages' handlers", () => {
  it("map refusals to what the forms show, and refuse hostile arguments", async () => {
    const me = await admin();
    const u = await user();
    expect(await disableAccount(me, u.email)).toEqual({ ok: true, result: { changed: true, sessionsEnded: 0 } });
    expect(await enableAccount(me, u.email)).toEqual({ ok: true, result: true });
    expect(await disableAccount(me, { email: u.email })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { email: expect.any(String) } });
    expect(await changePlatformAdmin(me, u.email, "true")).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { on: expect.any(String) } });
    expect(await changePlatformAdmin(u.principal, u.email, true)).toMatchObject({ ok: false, kind: "not-found" });
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).isPlatformAdmin).toBe(false);

    const link = await makePasswordResetLink(me, u.email);
    if (!link.ok) throw new Error(link.message);
    const token = tokenOf(link.result.url);
    expect(await resetPasswordFromLink(token, { password: "short" })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { password: "use at least 10 characters" } });
    expect(await resetPasswordFromLink(token, { password: NEW_PASSWORD })).toEqual({ ok: true, result: { email: u.email, disabled: false } });
    expect(await resetPasswordFromLink(token, { password: NEW_PASSWORD })).toEqual({ ok: false, kind: "conflict", message: RESET_LINK_INVALID, fieldErrors: {}, conflict: true });
    expect(await resetPasswordFromLink({ tokenHash: { not: "" } }, { password: NEW_PASSWORD })).toMatchObject({ ok: false, kind: "invalid" });
  });
});

// A CLI call starts Node, tsx and Prisma: seconds on a busy 2-core machine, so these tests get minutes.
describe("npm run cli -- user", { timeout: 240_000 }, () => {
  it("user disable ends the sessions and refuses sign-in; user enable restores it; both audited as cli", async () => {
    const u = await user();
    const session = await startAuthSession(u.id);

    const disabled = await cli("user", "disable", u.email);
    expect(disabled).toMatchObject({ code: 0, stdout: `disabled ${u.email}; 1 session ended\n` });
    expect(await userOfAuthSession(session)).toBeNull();
    expect(await signIn(u.email, PASSWORD)).toBe(SIGN_IN_FAILED);
    expect(await auditEntries("user.disable", u.email)).toMatchObject([{ actorId: null, actorLabel: "cli", clientAddress: null }]);

    const enabled = await cli("user", "enable", u.email);
    expect(enabled).toMatchObject({ code: 0, stdout: `enabled ${u.email}\n` });
    expect(await signIn(u.email, PASSWORD)).toBe("signed in");
    expect(await auditEntries("user.enable", u.email)).toMatchObject([{ actorId: null, actorLabel: "cli" }]);
  });

  it("user reset prints a working link; user platform-admin on|off; errors are one line", async () => {
    const u = await user();
    const reset = await cli("user", "reset", u.email);
    expect(reset.code).toBe(0);
    const url = /(http\S+\/reset\/\S+)/.exec(reset.stdout)![1];
    await resetPasswordWithToken(tokenOf(url), { password: NEW_PASSWORD });
    expect(await signIn(u.email, NEW_PASSWORD)).toBe("signed in");
    expect(await auditEntries("user.password-reset.create", u.email)).toMatchObject([{ actorLabel: "cli" }]);

    expect(await cli("user", "platform-admin", u.email, "on")).toMatchObject({ code: 0, stdout: `${u.email} is now a platform admin\n` });
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).isPlatformAdmin).toBe(true);
    expect(await cli("user", "platform-admin", u.email, "off")).toMatchObject({ code: 0, stdout: `${u.email} is no longer a platform admin\n` });
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).isPlatformAdmin).toBe(false);

    const unknown = await cli("user", "disable", "nobody-at-all@example.test");
    expect(unknown).toMatchObject({ code: 1, stderr: "error: user nobody-at-all@example.test not found\n" });
    const usage = await cli("user", "platform-admin", u.email, "maybe");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^error: user platform-admin <email> on\|off\n/);
  });
});
