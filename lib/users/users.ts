// Users, as platform admins manage them (/admin/users) and the operator's CLI (`user ...`):
// the list, disabling and enabling, password reset links, and the platform-admin flag.
//
// Rules:
//   - Disabling ends every session of the user at once (their AuthSession rows are deleted in
//     the same transaction; lib/auth/auth-sessions.ts also refuses a disabled user's sessions),
//     and sign-in is refused with the usual message (lib/auth/sign-in.ts). Their unused reset
//     links stop working too. Enabling lets them sign in again; nothing else comes back.
//   - The last platform admin (enabled, with the flag) can be neither disabled nor revoked, not
//     even by themselves; a platform admin who is not the last may disable or revoke themselves.
//     Every change of the flag or of the disabled state runs under one transaction-scoped
//     advisory lock, and the count is taken after it is acquired, so two admins revoking (or
//     disabling) each other at once cannot leave none: the second sees the first's commit. Under
//     the same lock the acting admin is checked again, so an admin revoked or disabled a moment
//     ago cannot act on a principal built before that.
//   - Reset links may be made for a disabled user, and used while disabled: after a compromise
//     the operator disables the account (ending the intruder's sessions), sends a link, and
//     enables it once the rightful user has set a new password; the old password never works
//     again in between. Setting a password does not enable the account.
//
// Every function that app/ calls takes the principal and checks requirePlatformAdmin first;
// the *AsOperator variants are for the CLI (actor "cli"), which the operator runs on the server.
import { Prisma } from "../generated/prisma/client.ts";
import { db, type Db } from "../db/client.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { requirePlatformAdmin, type Principal } from "../permissions.ts";
import { actorFields, actorOf, audit, type AuditEntry } from "../audit/audit.ts";
import { hashPassword } from "../auth/password.ts";
import { accountKey, forgiveAttempt } from "../auth/throttle.ts";
import { emailSchema } from "../tenancy/schemas.ts";
import { parseOrThrow } from "../validation.ts";
import { expirePasswordResets, hashToken, issuePasswordReset } from "./password-resets.ts";
import { resetPasswordSchema, USERS_PAGE_SIZE, usersQuerySchema, type UsersQuery, type UserStatus } from "./schemas.ts";
import { likePattern } from "../db/like.ts";

type Tx = Prisma.TransactionClient;

/** Who acts: a signed-in platform admin, or the operator through the CLI. */
interface Acting {
  entry: Pick<AuditEntry, "actorId" | "actorLabel" | "clientAddress">;
  /** The acting admin's user id (checked again under the lock); null for the operator. */
  userId: string | null;
}

/** The operator's actor (the CLI's is { label: "cli" }). */
export interface OperatorActor {
  label: string;
}

function byPrincipal(principal: Principal): Acting {
  requirePlatformAdmin(principal);
  return { entry: actorOf(principal), userId: principal.userId };
}

const byOperator = (actor: OperatorActor): Acting => ({ entry: actorFields({ label: actor.label }), userId: null });

// --- The list ---

export interface UserRow {
  id: string;
  email: string;
  name: string;
  isPlatformAdmin: boolean;
  status: UserStatus;
  lastSignInAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
  tenants: { slug: string; name: string; role: string }[];
}

const STATUS_SQL = Prisma.sql`CASE WHEN u."disabledAt" IS NOT NULL THEN 'disabled' WHEN u."passwordHash" IS NULL THEN 'invited' ELSE 'active' END`;

/** One row per user, with their tenants and roles gathered in the same statement. */
function selectUsers(where: Prisma.Sql, order: Prisma.Sql, limit: number, offset: number) {
  return Prisma.sql`
    SELECT u.id, u.email, u.name, u."isPlatformAdmin", u."lastSignInAt", u."disabledAt", u."createdAt", ${STATUS_SQL} AS status,
      COALESCE((
        SELECT json_agg(json_build_object('slug', t.slug, 'name', t.name, 'role', m.role) ORDER BY t.name, t.slug)
        FROM "Membership" m JOIN "Tenant" t ON t.id = m."tenantId"
        WHERE m."userId" = u.id
      ), '[]'::json) AS tenants
    FROM "User" u
    WHERE ${where}
    ORDER BY ${order}
    LIMIT ${limit} OFFSET ${offset}`;
}

/** Users matching the query (search by email or name, status, platform admin), sorted, one page. */
export async function listUsers(principal: Principal, rawQuery: unknown, client: Db = db()) {
  requirePlatformAdmin(principal);
  const query: UsersQuery = usersQuerySchema.parse(rawQuery ?? {});
  const filters: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query.q) filters.push(Prisma.sql`(u.email ILIKE ${likePattern(query.q)} OR u.name ILIKE ${likePattern(query.q)})`);
  if (query.status) filters.push(Prisma.sql`${STATUS_SQL} = ${query.status}`);
  if (query.admin) filters.push(Prisma.sql`u."isPlatformAdmin" = ${query.admin === "yes"}`);
  const where = Prisma.join(filters, " AND ");
  const dir = Prisma.raw(query.dir === "desc" ? "DESC" : "ASC");
  const order = {
    email: Prisma.sql`u.email ${dir}`,
    name: Prisma.sql`u.name ${dir}, u.email`,
    // Never signed in: at the end, whichever the direction.
    lastSignIn: Prisma.sql`u."lastSignInAt" ${dir} NULLS LAST, u.email`,
    created: Prisma.sql`u."createdAt" ${dir}, u.email`,
  }[query.sort];

  const [{ count }] = await client.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM "User" u WHERE ${where}`;
  const total = Number(count);
  const pages = Math.max(1, Math.ceil(total / USERS_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const rows = await client.$queryRaw<UserRow[]>(selectUsers(where, order, USERS_PAGE_SIZE, (page - 1) * USERS_PAGE_SIZE));
  return { query: { ...query, page }, rows, total, pages, pageSize: USERS_PAGE_SIZE };
}

/** One user (for /admin/users/[id]), with their live sessions and pending reset link. */
export async function getUser(principal: Principal, userId: string, client: Db = db()) {
  requirePlatformAdmin(principal);
  const [row] = await client.$queryRaw<UserRow[]>(selectUsers(Prisma.sql`u.id = ${userId}`, Prisma.sql`u.id`, 1, 0));
  if (!row) throw new NotFoundError("user");
  const now = new Date();
  const [liveSessions, pendingReset] = await Promise.all([
    client.authSession.count({ where: { userId, expiresAt: { gt: now } } }),
    client.passwordReset.findFirst({ where: { userId, usedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" }, select: { expiresAt: true } }),
  ]);
  return { user: row, liveSessions, pendingResetExpiresAt: pendingReset?.expiresAt ?? null, isYou: row.id === principal.userId };
}

// --- Changes: disable, enable, platform admin ---

// One key for every change that can lower the number of platform admins (and its inverses).
async function lockPlatformAdmins(tx: Tx, acting: Acting): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('dns-panel:platform-admins'))`;
  if (acting.userId) {
    const me = await tx.user.findUnique({ where: { id: acting.userId }, select: { isPlatformAdmin: true, disabledAt: true } });
    // Revoked or disabled since the principal was built: the area no longer exists for them.
    if (!me?.isPlatformAdmin || me.disabledAt) throw new NotFoundError("page");
  }
}

/** Platform admins who can act: with the flag, and not disabled. */
function activePlatformAdmins(tx: Tx): Promise<number> {
  return tx.user.count({ where: { isPlatformAdmin: true, disabledAt: null } });
}

async function findUser(tx: Tx, rawEmail: unknown) {
  const email = parseOrThrow(emailSchema, rawEmail, ["email"]);
  const user = await tx.user.findUnique({ where: { email } });
  if (!user) throw new NotFoundError(`user ${email}`);
  return user;
}

async function refuseLastPlatformAdmin(tx: Tx, user: { email: string; isPlatformAdmin: boolean; disabledAt: Date | null }, doing: string) {
  if (user.isPlatformAdmin && !user.disabledAt && (await activePlatformAdmins(tx)) <= 1) {
    throw new ValidationError([{ path: [], message: `${user.email} is the last platform admin and cannot be ${doing}: make someone else a platform admin first` }]);
  }
}

export interface UserChange {
  email: string;
  /** False when the user already was in that state (nothing written, nothing audited). */
  changed: boolean;
}

async function changeDisabled(acting: Acting, rawEmail: unknown, disable: boolean, client: Db): Promise<UserChange & { sessionsEnded: number }> {
  return client.$transaction(async (tx) => {
    await lockPlatformAdmins(tx, acting);
    const user = await findUser(tx, rawEmail);
    if (!!user.disabledAt === disable) return { email: user.email, changed: false, sessionsEnded: 0 };
    if (!disable) {
      await tx.user.update({ where: { id: user.id }, data: { disabledAt: null } });
      await audit(tx, { ...acting.entry, action: "user.enable", target: user.email });
      return { email: user.email, changed: true, sessionsEnded: 0 };
    }
    await refuseLastPlatformAdmin(tx, user, "disabled");
    await tx.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    // Every session ends with this commit: a session is honoured only while its row exists.
    const { count } = await tx.authSession.deleteMany({ where: { userId: user.id } });
    await expirePasswordResets(tx, user.id);
    await audit(tx, { ...acting.entry, action: "user.disable", target: user.email, details: { sessionsEnded: count } });
    return { email: user.email, changed: true, sessionsEnded: count };
  });
}

async function changePlatformAdmin(acting: Acting, rawEmail: unknown, on: boolean, client: Db): Promise<UserChange> {
  if (typeof on !== "boolean") throw new ValidationError([{ path: ["on"], message: "say on or off" }]);
  return client.$transaction(async (tx) => {
    await lockPlatformAdmins(tx, acting);
    const user = await findUser(tx, rawEmail);
    if (user.isPlatformAdmin === on) return { email: user.email, changed: false };
    if (!on) await refuseLastPlatformAdmin(tx, user, "revoked");
    await tx.user.update({ where: { id: user.id }, data: { isPlatformAdmin: on } });
    await audit(tx, { ...acting.entry, action: on ? "platform-admin.grant" : "platform-admin.revoke", target: user.email });
    return { email: user.email, changed: true };
  });
}

/** Disables the user: every session ends at once, sign-in is refused. Not the last platform admin. */
export async function disableUser(principal: Principal, email: unknown, client: Db = db()) {
  return changeDisabled(byPrincipal(principal), email, true, client);
}

export async function enableUser(principal: Principal, email: unknown, client: Db = db()) {
  return changeDisabled(byPrincipal(principal), email, false, client);
}

/** Grants (on) or revokes (off) platform admin. The last platform admin cannot be revoked. */
export async function setPlatformAdmin(principal: Principal, email: unknown, on: boolean, client: Db = db()) {
  return changePlatformAdmin(byPrincipal(principal), email, on, client);
}

export async function disableUserAsOperator(actor: OperatorActor, email: unknown, client: Db = db()) {
  return changeDisabled(byOperator(actor), email, true, client);
}

export async function enableUserAsOperator(actor: OperatorActor, email: unknown, client: Db = db()) {
  return changeDisabled(byOperator(actor), email, false, client);
}

export async function setPlatformAdminAsOperator(actor: OperatorActor, email: unknown, on: boolean, client: Db = db()) {
  return changePlatformAdmin(byOperator(actor), email, on, client);
}

// --- Password reset links ---

async function makePasswordReset(acting: Acting, rawEmail: unknown, client: Db) {
  return client.$transaction(async (tx) => {
    const user = await findUser(tx, rawEmail);
    const link = await issuePasswordReset(tx, { userId: user.id, email: user.email, createdBy: acting.userId });
    await audit(tx, { ...acting.entry, action: "user.password-reset.create", target: user.email, details: { expiresAt: link.expiresAt.toISOString() } });
    return { email: user.email, disabled: !!user.disabledAt, ...link };
  });
}

/**
 * A one-time link that lets the user set a new password (valid PASSWORD_RESET_LIFETIME_HOURS;
 * earlier unused links stop working). Returned once and written to the server log.
 */
export async function createPasswordReset(principal: Principal, email: unknown, client: Db = db()) {
  return makePasswordReset(byPrincipal(principal), email, client);
}

export async function createPasswordResetAsOperator(actor: OperatorActor, email: unknown, client: Db = db()) {
  return makePasswordReset(byOperator(actor), email, client);
}

export type PasswordResetState = "valid" | "expired" | "used" | "unknown";

/** What the reset page says of every link that cannot be used, whatever the reason. */
export const RESET_LINK_INVALID = "This password reset link cannot be used: it was already used, it has expired, or a newer one replaced it. Ask a platform admin for a new one.";

/** The reset page's view of a link (no permission: the token is the key). */
export async function describePasswordReset(token: string, client: Db = db()) {
  const reset = await client.passwordReset.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: { select: { email: true, disabledAt: true } } } });
  if (!reset) return { state: "unknown" as PasswordResetState };
  const state: PasswordResetState = reset.usedAt ? "used" : reset.expiresAt <= new Date() ? "expired" : "valid";
  if (state !== "valid") return { state };
  return { state, email: reset.user.email, expiresAt: reset.expiresAt, disabled: !!reset.user.disabledAt };
}

/**
 * Sets the link's user's password (the password policy applies), uses the link up, and ends
 * every session of the user. A link used, expired, replaced or unknown: ConflictError with
 * RESET_LINK_INVALID, nothing changed. A disabled user's password is set, but they stay disabled.
 */
export async function resetPasswordWithToken(token: string, input: unknown, client: Db = db()) {
  const { password } = parseOrThrow(resetPasswordSchema, input);
  const passwordHash = await hashPassword(password);
  const done = await client.$transaction(async (tx) => {
    const reset = await tx.passwordReset.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
    if (!reset) throw new ConflictError(RESET_LINK_INVALID);
    const now = new Date();
    // Claimed by one statement: two submissions of the same link cannot both succeed.
    const claimed = await tx.passwordReset.updateMany({ where: { id: reset.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) throw new ConflictError(RESET_LINK_INVALID);
    const user = reset.user;
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const { count } = await tx.authSession.deleteMany({ where: { userId: user.id } });
    await expirePasswordResets(tx, user.id);
    await audit(tx, { actorId: user.id, actorLabel: user.email, action: "user.password-reset", target: user.email, details: { sessionsEnded: count } });
    return { email: user.email, disabled: !!user.disabledAt };
  });
  // Whoever holds the link may sign in with the new password now, even if someone had locked
  // the account by failing to sign in (lib/auth/throttle.ts).
  await forgiveAttempt([accountKey(done.email)], client);
  return done;
}
