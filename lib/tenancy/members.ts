// A tenant's team: who is in it with which role, invitations, and the rules that keep a
// tenant manageable:
//   - owners and admins invite, change roles and remove members; only owners make or change
//     owners (an admin cannot promote themselves past their role);
//   - the last owner can be neither removed nor demoted;
//   - anyone may leave (remove themselves), unless they are the last owner.
// Owner counting runs with the tenant row locked, so two owners demoting each other at once
// cannot leave the tenant without one.
import type { Prisma, Role } from "../generated/prisma/client.ts";
import { db, type Db } from "../db/client.ts";
import { hashPassword } from "../auth/password.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { requireTenantPermission, type Principal } from "../permissions.ts";
import { createInvitation, hashToken } from "./invitations.ts";
import { acceptInvitationSchema, inviteSchema, roleSchema } from "./schemas.ts";
import { parseOrThrow } from "../validation.ts";
import { audit, actorOf } from "../audit/audit.ts";

type Tx = Prisma.TransactionClient;

export interface MemberRow {
  membershipId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: Date;
  isYou: boolean;
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: Date;
  createdAt: Date;
}

export async function listMembers(principal: Principal, tenantSlug: string, client: Db = db()) {
  const { tenant, grant } = await requireTenantPermission(principal, tenantSlug, "member:read", client);
  const memberships = await client.membership.findMany({ where: { tenantId: tenant.id }, include: { user: true }, orderBy: { createdAt: "asc" } });
  const members: MemberRow[] = memberships.map((m) => ({
    membershipId: m.id, userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt, isYou: m.userId === principal.userId,
  }));
  const invitations: PendingInvitation[] = await client.invitation.findMany({
    where: { tenantId: tenant.id, acceptedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    orderBy: { createdAt: "desc" },
  });
  return { tenant, grant, members, invitations };
}

async function lockTenant(tx: Tx, tenantId: string) {
  await tx.$queryRaw`SELECT id FROM "Tenant" WHERE id = ${tenantId} FOR UPDATE`;
}

async function ownerCount(tx: Tx, tenantId: string) {
  return tx.membership.count({ where: { tenantId, role: "owner" } });
}

/** Invites `email` with `role`; returns the one-time link (also written to the server log). */
export async function inviteMember(principal: Principal, tenantSlug: string, input: unknown, client: Db = db()) {
  const { email, role } = parseOrThrow(inviteSchema, input);
  return client.$transaction(async (tx) => {
    const { tenant } = await requireTenantPermission(principal, tenantSlug, role === "owner" ? "owner:manage" : "member:manage", tx);
    const existing = await tx.membership.findFirst({ where: { tenantId: tenant.id, user: { email } } });
    if (existing) throw new ValidationError([{ path: ["email"], message: `${email} is already a member` }]);
    // A new invitation replaces a pending one for the same email: replacing an owner's
    // invitation takes the same right as revoking it.
    const pending = await tx.invitation.findFirst({ where: { tenantId: tenant.id, email, acceptedAt: null, role: "owner" } });
    if (pending && role !== "owner") await requireTenantPermission(principal, tenantSlug, "owner:manage", tx);
    const invitation = await createInvitation(tx, { tenantId: tenant.id, tenantSlug: tenant.slug, email, role, invitedBy: principal.userId });
    await audit(tx, { tenantId: tenant.id, ...actorOf(principal), action: "member.invite", target: email, details: { role } });
    return invitation;
  });
}

export async function revokeInvitation(principal: Principal, tenantSlug: string, invitationId: string, client: Db = db()) {
  await client.$transaction(async (tx) => {
    const { tenant } = await requireTenantPermission(principal, tenantSlug, "member:manage", tx);
    const invitation = await tx.invitation.findFirst({ where: { id: invitationId, tenantId: tenant.id, acceptedAt: null } });
    if (!invitation) throw new NotFoundError("invitation");
    if (invitation.role === "owner") await requireTenantPermission(principal, tenantSlug, "owner:manage", tx);
    await tx.invitation.delete({ where: { id: invitation.id } });
    await audit(tx, { tenantId: tenant.id, ...actorOf(principal), action: "member.invite.revoke", target: invitation.email, details: {} });
  });
}

export async function changeRole(principal: Principal, tenantSlug: string, membershipId: string, newRole: unknown, client: Db = db()) {
  const role = parseOrThrow(roleSchema, newRole, ["role"]);
  await client.$transaction(async (tx) => {
    const { tenant } = await requireTenantPermission(principal, tenantSlug, "member:manage", tx);
    await lockTenant(tx, tenant.id);
    const membership = await tx.membership.findFirst({ where: { id: membershipId, tenantId: tenant.id }, include: { user: true } });
    if (!membership) throw new NotFoundError("member");
    if (membership.role === role) return;
    if (membership.role === "owner" || role === "owner") await requireTenantPermission(principal, tenantSlug, "owner:manage", tx);
    if (membership.role === "owner" && (await ownerCount(tx, tenant.id)) === 1) {
      throw new ValidationError([{ path: ["role"], message: "the last owner cannot be demoted: make someone else an owner first" }]);
    }
    await tx.membership.update({ where: { id: membership.id }, data: { role } });
    await audit(tx, { tenantId: tenant.id, ...actorOf(principal), action: "member.role", target: membership.user.email, details: { from: membership.role, to: role } });
  });
}

/** Removes a member; removing yourself ("leave") needs no management rights. */
export async function removeMember(principal: Principal, tenantSlug: string, membershipId: string, client: Db = db()) {
  await client.$transaction(async (tx) => {
    const { tenant } = await requireTenantPermission(principal, tenantSlug, "member:read", tx);
    await lockTenant(tx, tenant.id);
    const membership = await tx.membership.findFirst({ where: { id: membershipId, tenantId: tenant.id }, include: { user: true } });
    if (!membership) throw new NotFoundError("member");
    const leaving = membership.userId === principal.userId;
    if (!leaving) {
      await requireTenantPermission(principal, tenantSlug, membership.role === "owner" ? "owner:manage" : "member:manage", tx);
    }
    if (membership.role === "owner" && (await ownerCount(tx, tenant.id)) === 1) {
      throw new ValidationError([{ path: [], message: "the last owner cannot be removed: make someone else an owner first" }]);
    }
    await tx.membership.delete({ where: { id: membership.id } });
    await audit(tx, { tenantId: tenant.id, ...actorOf(principal), action: leaving ? "member.leave" : "member.remove", target: membership.user.email, details: { role: membership.role } });
  });
}

// --- Accepting an invitation (the link's page; no tenant permission: the token is the key) ---

export type InvitationState = "valid" | "expired" | "used" | "unknown";

export async function describeInvitation(token: string, client: Db = db()) {
  const invitation = await client.invitation.findUnique({ where: { tokenHash: hashToken(token) }, include: { tenant: true } });
  if (!invitation) return { state: "unknown" as InvitationState };
  const state: InvitationState = invitation.acceptedAt ? "used" : invitation.expiresAt <= new Date() ? "expired" : "valid";
  const user = await client.user.findUnique({ where: { email: invitation.email } });
  return {
    state,
    email: invitation.email,
    role: invitation.role,
    tenantName: invitation.tenant.name,
    tenantSlug: invitation.tenant.slug,
    /** The email already has a password: accepting means signing in as that user. */
    hasAccount: !!user?.passwordHash,
  };
}

/** Marks the invitation used (once: concurrent acceptances cannot both succeed). */
async function claimInvitation(tx: Tx, token: string) {
  const invitation = await tx.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!invitation) throw new NotFoundError("invitation");
  const claimed = await tx.invitation.updateMany({
    where: { id: invitation.id, acceptedAt: null, expiresAt: { gt: new Date() } },
    data: { acceptedAt: new Date() },
  });
  if (claimed.count !== 1) throw new ConflictError("this invitation has expired or was already used; ask for a new one");
  return invitation;
}

async function join(tx: Tx, invitation: { tenantId: string; role: Role; email: string }, userId: string) {
  const existing = await tx.membership.findUnique({ where: { userId_tenantId: { userId, tenantId: invitation.tenantId } } });
  if (!existing) await tx.membership.create({ data: { userId, tenantId: invitation.tenantId, role: invitation.role } });
  await audit(tx, { tenantId: invitation.tenantId, actorId: userId, actorLabel: invitation.email, action: "member.join", target: invitation.email, details: { role: invitation.role } });
}

/** Accepts as a new user: sets the name and password of the invited email's account. */
export async function acceptInvitationWithPassword(token: string, input: unknown, client: Db = db()) {
  const { name, password } = parseOrThrow(acceptInvitationSchema, input);
  const passwordHash = await hashPassword(password);
  return client.$transaction(async (tx) => {
    const invitation = await claimInvitation(tx, token);
    const existing = await tx.user.findUnique({ where: { email: invitation.email } });
    if (existing?.passwordHash) throw new ConflictError(`an account for ${invitation.email} already exists: sign in to accept`);
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { name: name || existing.name, passwordHash } })
      : await tx.user.create({ data: { email: invitation.email, name, passwordHash } });
    await join(tx, invitation, user.id);
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: invitation.tenantId } });
    return { email: user.email, tenantSlug: tenant.slug };
  });
}

/** Accepts as the signed-in user, whose email must be the invited one. */
export async function acceptInvitationAsUser(principal: Principal, token: string, client: Db = db()) {
  return client.$transaction(async (tx) => {
    const pending = await tx.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!pending) throw new NotFoundError("invitation");
    if (pending.email !== principal.email) {
      throw new ForbiddenError(`this invitation is for ${pending.email}; sign in as that user to accept it`);
    }
    const invitation = await claimInvitation(tx, token);
    await join(tx, invitation, principal.userId);
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: invitation.tenantId } });
    return { tenantSlug: tenant.slug };
  });
}
