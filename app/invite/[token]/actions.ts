"use server";
// The invitation page's server actions: app/_handlers/invitations.ts.
import { currentPrincipal } from "@/lib/auth/session.ts";
import { acceptAsUser, acceptWithPassword } from "@/app/_handlers/invitations.ts";

/** A new user sets their password; the browser then signs in with it. */
export async function acceptWithPasswordAction(token: unknown, input: unknown) {
  return acceptWithPassword(token, input);
}

/** The signed-in user joins (their email must be the invited one). */
export async function acceptAsUserAction(token: unknown) {
  return acceptAsUser(await currentPrincipal(), token);
}
