// Accounts: signing in (and its rate limits), invitations, one's own password, one's tenants.
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { changeOwnPassword } from "../../lib/auth/account.ts";
import { endAuthSession, startAuthSession, userOfAuthSession } from "../../lib/auth/auth-sessions.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { SIGN_IN_FAILED, SignInError, verifySignIn } from "../../lib/auth/sign-in.ts";
import { ACCOUNT_FAILURE_LIMIT, ADDRESS_FAILURE_LIMIT, addressKey } from "../../lib/auth/throttle.ts";
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

// A client address of its own for each call: a /64 of its own, as IPv6 is counted per /64.
let nextAddress = 0;
const address = () => `2001:db8:${process.pid.toString(16)}:${(++nextAddress).toString(16)}::1`;

describe("signing in", () => {
  it("accepts the right password (email in any case) and refuses a wrong one with a message that names neither part", async () => {
    const u = await user();
    await expect(verifySignIn({ email: u.email.toUpperCase(), password: PASSWORD }, address())).resolves.toMatchObject({ id: u.id, email: u.email });
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

  it("lets no more than the limit through when the attempts come all at once", async () => {
    const u = await user();
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => refusal(verifySignIn({ email: u.email, password: `burst ${i}` }, address()))));
    expect(outcomes.filter((o) => o === SIGN_IN_FAILED)).toHaveLength(ACCOUNT_FAILURE_LIMIT);
    expect(outcomes.filter((o) => o.startsWith("Too many failed sign-in attempts"))).toHaveLength(30 - ACCOUNT_FAILURE_LIMIT);
  });

  it("counts an IPv6 client's whole /64 as one address", async () => {
    expect(addressKey("2001:db8:1:2:aaaa::1").key).toBe(addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee").key);
    expect(addressKey("2001:db8:1:2::1").key).not.toBe(addressKey("2001:db8:1:3::1").key);
    expect(addressKey("192.0.2.1").key).toBe("address:192.0.2.1");
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
    for (let i = 0; i < ADDRESS_FAILURE_LIMIT; i++) await refusal(verifySignIn({ email: `${uniqueLabel("v6")}@example.test`, password: "x" }, `${prefix}::${(i + 1).toString(16)}`));
    const u = await user();
    expect(await refusal(verifySignIn({ email: u.email, password: PASSWORD }, `${prefix}:ffff::1`))).toMatch(/^Too many failed sign-in attempts/);
  });

  it("a success is not counted as a failure", async () => {
    const u = await user();
    const from = address();
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT + 2; i++) await expect(verifySignIn({ email: u.email, password: PASSWORD }, from)).resolves.toMatchObject({ id: u.id });
    expect(await db().authThrottle.findUnique({ where: { key: addressKey(from).key } })).toMatchObject({ failures: 0 });
  });
});

describe("sessions", () => {
  it("a session lives until it is ended", async () => {
    const u = await user();
    const id = await startAuthSession(u.id);
    expect((await userOfAuthSession(id))?.id).toBe(u.id);
    await endAuthSession(id);
    expect(await userOfAuthSession(id)).toBeNull();
    expect(await userOfAuthSession("never-issued")).toBeNull();
  });

  it("an expired session is not honoured", async () => {
    const u = await user();
    const id = await startAuthSession(u.id);
    await db().authSession.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await userOfAuthSession(id)).toBeNull();
  });
});

describe("changing one's password", () => {
  it("needs the current password, ends the other sessions but not this one, and retires the old password", async () => {
    const u = await user();
    const here = await startAuthSession(u.id);
    const elsewhere = await startAuthSession(u.id);
    const principal = { ...u.principal, sessionId: here };
    await expect(changeOwnPassword(principal, { currentPassword: "wrong", newPassword: "another good password" })).rejects.toThrow(ValidationError);
    await expect(changeOwnPassword(principal, { currentPassword: PASSWORD, newPassword: "short" })).rejects.toThrow(/at least 10 characters/);
    expect(await userOfAuthSession(elsewhere)).not.toBeNull(); // refused changes end nothing
    await changeOwnPassword(principal, { currentPassword: PASSWORD, newPassword: "another good password" });
    expect(await userOfAuthSession(here)).not.toBeNull();
    expect(await userOfAuthSession(elsewhere)).toBeNull();
    expect(await refusal(verifySignIn({ email: u.email, password: PASSWORD }, address()))).toBe(SIGN_IN_FAILED);
    await expect(verifySignIn({ email: u.email, password: "another good password" }, address())).resolves.toMatchObject({ id: u.id });
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
