// Accounts: signing in (and its rate limits), invitations, one's own password, one's tenants.
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { changeOwnPassword } from "../../lib/auth/account.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { SIGN_IN_FAILED, SignInError, verifySignIn } from "../../lib/auth/sign-in.ts";
import { ACCOUNT_FAILURE_LIMIT, ADDRESS_FAILURE_LIMIT } from "../../lib/auth/throttle.ts";
import { ConflictError, ForbiddenError, ValidationError } from "../../lib/errors.ts";
import { acceptInvitationAsUser, acceptInvitationWithPassword, describeInvitation, inviteMember } from "../../lib/tenancy/members.ts";
import { tenantsOf } from "../../lib/tenancy/tenants.ts";
import { createTenant, uniqueLabel } from "../helpers/factories.ts";

const PASSWORD = "a good long password";

async function user(opts: { password?: string | null } = {}) {
  const email = `${uniqueLabel("u")}@example.test`;
  const password = opts.password === undefined ? PASSWORD : opts.password;
  const u = await db().user.create({ data: { email, passwordHash: password ? await hashPassword(password) : null } });
  return { ...u, principal: { userId: u.id, email, isPlatformAdmin: false } };
}

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "accepted";
  } catch (e) {
    if (e instanceof SignInError) return e.message;
    throw e;
  }
}

const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

describe("signing in", () => {
  it("accepts the right password (email in any case) and refuses a wrong one with a message that names neither part", async () => {
    const u = await user();
    await expect(verifySignIn({ email: u.email.toUpperCase(), password: PASSWORD }, address())).resolves.toMatchObject({ id: u.id, sessionVersion: 0 });
    expect(await refusal(verifySignIn({ email: u.email, password: "wrong" }, address()))).toBe(SIGN_IN_FAILED);
    expect(await refusal(verifySignIn({ email: "nobody@example.test", password: "wrong" }, address()))).toBe(SIGN_IN_FAILED);
    // An account that has not set a password yet (invited) cannot be signed into.
    const invited = await user({ password: null });
    expect(await refusal(verifySignIn({ email: invited.email, password: "" }, address()))).toBe("Enter your email and password.");
    expect(await refusal(verifySignIn({ email: invited.email, password: "anything" }, address()))).toBe(SIGN_IN_FAILED);
  });

  it(`locks an account after ${ACCOUNT_FAILURE_LIMIT} failures, even for the right password, from any address`, async () => {
    const u = await user();
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) expect(await refusal(verifySignIn({ email: u.email, password: `wrong ${i}` }, address()))).toBe(SIGN_IN_FAILED);
    expect(await refusal(verifySignIn({ email: u.email, password: PASSWORD }, address()))).toMatch(/^Too many failed sign-in attempts\. Try again in 15 minutes\.$/);
    // Once the window has passed, the right password works again and clears the count.
    await db().authThrottle.update({ where: { key: `account:${u.email}` }, data: { windowStart: new Date(Date.now() - 16 * 60 * 1000) } });
    await expect(verifySignIn({ email: u.email, password: PASSWORD }, address())).resolves.toMatchObject({ id: u.id });
    expect(await db().authThrottle.findUnique({ where: { key: `account:${u.email}` } })).toBeNull();
  });

  it("throttles an email with no account exactly like one with an account", async () => {
    const email = `${uniqueLabel("ghost")}@example.test`;
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) expect(await refusal(verifySignIn({ email, password: "x" }, address()))).toBe(SIGN_IN_FAILED);
    expect(await refusal(verifySignIn({ email, password: "x" }, address()))).toMatch(/^Too many failed sign-in attempts/);
  });

  it(`locks an address after ${ADDRESS_FAILURE_LIMIT} failures across accounts`, async () => {
    const from = address();
    for (let i = 0; i < ADDRESS_FAILURE_LIMIT; i++) await refusal(verifySignIn({ email: `${uniqueLabel("spray")}@example.test`, password: "x" }, from));
    const u = await user();
    expect(await refusal(verifySignIn({ email: u.email, password: PASSWORD }, from))).toMatch(/^Too many failed sign-in attempts/);
    await expect(verifySignIn({ email: u.email, password: PASSWORD }, address())).resolves.toMatchObject({ id: u.id });
  });

  it("counts concurrent failures without losing any", async () => {
    const email = `${uniqueLabel("burst")}@example.test`;
    await Promise.all(Array.from({ length: 4 }, () => refusal(verifySignIn({ email, password: "x" }, null))));
    expect((await db().authThrottle.findUnique({ where: { key: `account:${email}` } }))?.failures).toBe(4);
  });
});

describe("changing one's password", () => {
  it("needs the current password, bumps the session version, and keeps the old password from working", async () => {
    const u = await user();
    await expect(changeOwnPassword(u.principal, { currentPassword: "wrong", newPassword: "another good password" })).rejects.toThrow(ValidationError);
    await expect(changeOwnPassword(u.principal, { currentPassword: PASSWORD, newPassword: "short" })).rejects.toThrow(/at least 10 characters/);
    const changed = await changeOwnPassword(u.principal, { currentPassword: PASSWORD, newPassword: "another good password" });
    expect(changed.sessionVersion).toBe(1);
    expect(await refusal(verifySignIn({ email: u.email, password: PASSWORD }, address()))).toBe(SIGN_IN_FAILED);
    await expect(verifySignIn({ email: u.email, password: "another good password" }, address())).resolves.toMatchObject({ sessionVersion: 1 });
  });
});

describe("invitations", () => {
  async function ownedTenant() {
    const tenant = await createTenant();
    const owner = await user();
    await db().membership.create({ data: { userId: owner.id, tenantId: tenant.id, role: "owner" } });
    return { tenant, owner };
  }
  const tokenOf = (url: string) => url.split("/invite/")[1];

  it("a new user joins once through the link, with the invited role", async () => {
    const { tenant, owner } = await ownedTenant();
    const email = `${uniqueLabel("new")}@example.test`;
    const invitation = await inviteMember(owner.principal, tenant.slug, { email: email.toUpperCase(), role: "editor" });
    const token = tokenOf(invitation.url);
    expect(await describeInvitation(token)).toMatchObject({ state: "valid", email, role: "editor", tenantSlug: tenant.slug, hasAccount: false });
    await expect(acceptInvitationWithPassword(token, { name: "New", password: "short" })).rejects.toThrow(ValidationError);
    await expect(acceptInvitationWithPassword(token, { name: "New", password: PASSWORD })).resolves.toEqual({ email, tenantSlug: tenant.slug });
    await expect(verifySignIn({ email, password: PASSWORD }, address())).resolves.toMatchObject({ email });
    const joined = await db().membership.findFirst({ where: { tenantId: tenant.id, user: { email } } });
    expect(joined?.role).toBe("editor");
    expect((await describeInvitation(token)).state).toBe("used");
    await expect(acceptInvitationWithPassword(token, { name: "Again", password: PASSWORD })).rejects.toThrow(ConflictError);
    // Only a hash of the token is stored.
    expect(await db().invitation.count({ where: { tokenHash: token } })).toBe(0);
  });

  it("an existing user accepts while signed in as the invited email, and nobody else can", async () => {
    const { tenant, owner } = await ownedTenant();
    const existing = await user();
    const stranger = await user();
    const token = tokenOf((await inviteMember(owner.principal, tenant.slug, { email: existing.email, role: "viewer" })).url);
    expect((await describeInvitation(token)).hasAccount).toBe(true);
    await expect(acceptInvitationWithPassword(token, { name: "", password: PASSWORD })).rejects.toThrow(/already exists: sign in to accept/);
    await expect(acceptInvitationAsUser(stranger.principal, token)).rejects.toThrow(ForbiddenError);
    await expect(acceptInvitationAsUser(existing.principal, token)).resolves.toEqual({ tenantSlug: tenant.slug });
    expect(await tenantsOf(existing.principal)).toEqual([expect.objectContaining({ slug: tenant.slug, role: "viewer" })]);
  });

  it("expired, unknown and re-issued invitations do not work", async () => {
    const { tenant, owner } = await ownedTenant();
    const email = `${uniqueLabel("late")}@example.test`;
    const first = tokenOf((await inviteMember(owner.principal, tenant.slug, { email, role: "viewer" })).url);
    const second = tokenOf((await inviteMember(owner.principal, tenant.slug, { email, role: "admin" })).url);
    expect((await describeInvitation(first)).state).toBe("unknown"); // replaced by the second
    await db().invitation.updateMany({ where: { email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await describeInvitation(second)).state).toBe("expired");
    await expect(acceptInvitationWithPassword(second, { name: "", password: PASSWORD })).rejects.toThrow(/expired or was already used/);
    expect((await describeInvitation("made-up")).state).toBe("unknown");
  });

  it("refuses to invite an existing member, and an invalid email", async () => {
    const { tenant, owner } = await ownedTenant();
    await expect(inviteMember(owner.principal, tenant.slug, { email: owner.email, role: "viewer" })).rejects.toThrow(/already a member/);
    await expect(inviteMember(owner.principal, tenant.slug, { email: "not-an-email", role: "viewer" })).rejects.toThrow(/not a valid email/);
    await expect(inviteMember(owner.principal, tenant.slug, { email: "a@example.test", role: "superuser" })).rejects.toThrow(ValidationError);
  });
});
