// Checking a sign-in: rate limits first, then the password. The messages never reveal whether
// an email has an account: an unknown email takes the same time (a real scrypt run against a
// dummy hash), gets the same message, and is throttled the same way. And signing out.
//
// Both are in the audit log: "user.sign-in", "user.sign-in.failure" (with the email tried, the
// client address and why, for the operator's eyes: the message shown stays the same) and
// "user.sign-out". A password is never written anywhere.
import { db, type Db } from "../db/client.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { accountKey, addressKey, forgiveAttempt, reserveAttempt, THROTTLE_WINDOW_SECONDS, type ThrottleKey } from "./throttle.ts";
import { audit } from "../audit/audit.ts";

export const SIGN_IN_FAILED = "Email or password is incorrect.";

/** A refusal whose message is safe to show as is. */
export class SignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignInError";
  }
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function throttleMessage(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

let dummyHash: Promise<string> | undefined;

/** Why a sign-in failed, as the audit log records it (never shown to whoever typed). */
export type SignInFailure = "throttled" | "unknown-email" | "no-password" | "wrong-password" | "disabled";

// People type their password into the email field now and then: what was typed there is
// recorded only when it looks like an email address, so the log never holds a password.
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
const NOT_AN_EMAIL = "(not an email address)";
const emailTried = (email: string) => (email.length <= 254 && EMAIL_SHAPE.test(email) ? email : NOT_AN_EMAIL);

async function auditFailure(client: Db, email: string, address: string | null, reason: SignInFailure): Promise<void> {
  const tried = emailTried(email);
  if (reason === "throttled") {
    // Refused attempts cost the attacker nothing more: without this, hammering a locked
    // account would grow the append-only log by a row per request. One entry per email and
    // address per throttle window says the same.
    const recent = await client.auditLog.findFirst({
      where: {
        action: "user.sign-in.failure", target: tried, clientAddress: address,
        createdAt: { gt: new Date(Date.now() - THROTTLE_WINDOW_SECONDS * 1000) },
        details: { path: ["reason"], equals: "throttled" },
      },
      select: { id: true },
    });
    if (recent) return;
  }
  await audit(client, { actorLabel: tried, action: "user.sign-in.failure", target: tried, clientAddress: address, details: { reason } });
}

/** Checks email and password from `address` (the client's IP, when known). Throws SignInError. */
export async function verifySignIn(
  input: { email?: unknown; password?: unknown },
  address: string | null,
  client: Db = db(),
): Promise<SignedInUser> {
  const email = typeof input.email === "string" ? normalizeEmail(input.email) : "";
  const password = typeof input.password === "string" ? input.password : "";
  if (!email || !password) throw new SignInError("Enter your email and password.");
  const keys: ThrottleKey[] = [accountKey(email), ...(address ? [addressKey(address)] : [])];
  // Counted before the password is checked: concurrent guesses cannot overtake the count.
  const wait = await reserveAttempt(keys, client);
  if (wait > 0) {
    await auditFailure(client, email, address, "throttled");
    throw new SignInError(throttleMessage(wait));
  }

  const user = await client.user.findUnique({ where: { email } });
  dummyHash ??= hashPassword("not a password anyone has");
  const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
  // A disabled user gets the usual message: whether an account exists, or is disabled, is not
  // for whoever types an email to learn.
  if (!user?.passwordHash || !matches || user.disabledAt) {
    const reason: SignInFailure = !user ? "unknown-email" : !user.passwordHash ? "no-password" : !matches ? "wrong-password" : "disabled";
    await auditFailure(client, email, address, reason);
    throw new SignInError(SIGN_IN_FAILED);
  }
  await forgiveAttempt(keys, client);
  await client.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await audit(client, { actorId: user.id, actorLabel: user.email, action: "user.sign-in", target: user.email, clientAddress: address });
  return { id: user.id, email: user.email, name: user.name };
}

/**
 * Signing out (next-auth's signOut event, lib/auth/next-auth.ts): the session ends on the
 * server (its cookie is worthless from now on, even if copied) and the log says who and from
 * where. A token whose session had already ended (expired, a password change, the user
 * disabled) is recorded too, as such.
 */
export async function signOutSession(token: { sessionId?: string | null; userId?: string | null }, address: string | null, client: Db = db()): Promise<void> {
  await client.$transaction(async (tx) => {
    const session = token.sessionId ? await tx.authSession.findUnique({ where: { id: token.sessionId }, include: { user: true } }) : null;
    const user = session?.user ?? (token.userId ? await tx.user.findUnique({ where: { id: token.userId } }) : null);
    // lib/auth/auth-sessions.ts's endAuthSession, inside this transaction.
    if (token.sessionId) await tx.authSession.deleteMany({ where: { id: token.sessionId } });
    if (!user) return;
    await audit(tx, { actorId: user.id, actorLabel: user.email, action: "user.sign-out", target: user.email, clientAddress: address, details: { sessionEnded: !!session } });
  });
}
