// Invitations: a one-time link that lets someone join a tenant with a role. No mail server is
// needed: the link is shown to the inviter and written to the server log. Only a hash of the
// token is stored, so the database alone cannot be used to join.
import { createHash, randomBytes } from "node:crypto";
import type { Prisma, Role } from "../generated/prisma/client.ts";
import { panelUrl } from "../config.ts";

export const INVITATION_LIFETIME_DAYS = 7;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates an invitation (replacing a pending one for the same email) and returns its link. */
export async function createInvitation(
  tx: Prisma.TransactionClient,
  input: { tenantId: string; tenantSlug: string; email: string; role: Role; invitedBy: string | null },
): Promise<{ id: string; url: string; expiresAt: Date }> {
  await tx.invitation.deleteMany({ where: { tenantId: input.tenantId, email: input.email, acceptedAt: null } });
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + INVITATION_LIFETIME_DAYS * 24 * 3600 * 1000);
  const invitation = await tx.invitation.create({
    data: { tenantId: input.tenantId, email: input.email, role: input.role, tokenHash: hashToken(token), invitedBy: input.invitedBy, expiresAt },
  });
  const url = panelUrl(`/invite/${token}`);
  // The server log is the delivery channel of last resort (no mail server).
  console.log(`[invite] ${input.email} invited to ${input.tenantSlug} as ${input.role}: ${url} (expires ${expiresAt.toISOString()})`);
  return { id: invitation.id, url, expiresAt };
}
