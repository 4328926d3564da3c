// Signed-in browsers (table AuthSession). A session token is honoured only while its row
// exists: this is what makes signing out, and "a password change ends the other sessions",
// real for JWT cookies that would otherwise stay valid until they expire.
import { randomBytes } from "node:crypto";
import { db, type Db } from "../db/client.ts";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

export async function startAuthSession(userId: string, client: Db = db()): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  const now = Date.now();
  await client.authSession.deleteMany({ where: { userId, expiresAt: { lt: new Date(now) } } });
  await client.authSession.create({ data: { id, userId, expiresAt: new Date(now + SESSION_MAX_AGE_SECONDS * 1000) } });
  return id;
}

/** The user of a live session, or null (unknown, ended or expired). */
export async function userOfAuthSession(sessionId: string, client: Db = db()) {
  const session = await client.authSession.findUnique({ where: { id: sessionId }, include: { user: true } });
  // A disabled user's sessions are deleted when it is disabled; checked here too, so no race
  // between disabling and a request in flight lets one through.
  return session && session.expiresAt > new Date() && !session.user.disabledAt ? session.user : null;
}

export async function endAuthSession(sessionId: string, client: Db = db()): Promise<void> {
  await client.authSession.deleteMany({ where: { id: sessionId } });
}

/** Ends every session of the user except `keep` (the browser that asked). */
export async function endOtherAuthSessions(userId: string, keep: string | undefined, client: Db = db()): Promise<void> {
  await client.authSession.deleteMany({ where: { userId, ...(keep ? { id: { not: keep } } : {}) } });
}
