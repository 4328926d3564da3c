"use server";
import { currentPrincipal } from "@/lib/auth/session.ts";
import { acceptInvitationAsUser, acceptInvitationWithPassword } from "@/lib/tenancy/members.ts";
import { runAction } from "@/app/_lib/action-state.ts";
import { ForbiddenError } from "@/lib/errors.ts";

/** A new user sets their password; the browser then signs in with it. */
export async function acceptWithPasswordAction(token: string, input: unknown) {
  return runAction(async () => acceptInvitationWithPassword(token, input));
}

/** The signed-in user joins (their email must be the invited one). */
export async function acceptAsUserAction(token: string) {
  return runAction(async () => {
    const principal = await currentPrincipal();
    if (!principal) throw new ForbiddenError("sign in first");
    return acceptInvitationAsUser(principal, token);
  });
}
