"use server";
// The password reset page's server action: app/_handlers/users.ts. No principal: the token is the key.
import { resetPasswordFromLink } from "@/app/_handlers/users.ts";

/** Sets the new password; the browser then signs in with it. */
export async function resetPasswordAction(token: unknown, input: unknown) {
  return resetPasswordFromLink(token, input);
}
