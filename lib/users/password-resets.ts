// Password reset links: a one-time link, made by a platform admin (or the operator's CLI), that
// lets a user set a new password. Like invitations (lib/tenancy/invitations.ts), no mail server
// is needed: the link is shown once to whoever made it and written to the server log, and only
// a hash of its token is stored, so the database alone cannot be used to take over an account.
//
// A user has at most one usable link: a new one, a disable and a completed reset each make the
// earlier unused ones expire (the rows stay, as a record of what was issued).
import { randomBytes } from "node:crypto";
import type { Prisma } from "../generated/prisma/client.ts";
import { panelUrl } from "../config.ts";
import { hashToken } from "../tenancy/invitations.ts";

export const PASSWORD_RESET_LIFETIME_HOURS = 24;

/** Makes every unused, unexpired link of the user expire now (except `keep`). */
export async function expirePasswordResets(tx: Prisma.TransactionClient, userId: string, keep?: string): Promise<void> {
  const now = new Date();
  await tx.passwordReset.updateMany({
    where: { userId, usedAt: null, expiresAt: { gt: now }, ...(keep ? { id: { not: keep } } : {}) },
    data: { expiresAt: now },
  });
}

/** Issues a link for the user (earlier unused ones stop working) and returns it. */
export async function issuePasswordReset(
  tx: Prisma.TransactionClient,
  input: { userId: string; email: string; createdBy: string | null },
): Promise<{ url: string; expiresAt: Date }> {
  await expirePasswordResets(tx, input.userId);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + PASSWORD_RESET_LIFETIME_HOURS * 3600 * 1000);
  await tx.passwordReset.create({ data: { userId: input.userId, tokenHash: hashToken(token), createdBy: input.createdBy, expiresAt } });
  const url = panelUrl(`/reset/${token}`);
  // The server log is the delivery channel of last resort (no mail server).
  console.log(`[password-reset] ${input.email}: ${url} (expires ${expiresAt.toISOString()})`);
  return { url, expiresAt };
}

export { hashToken };
