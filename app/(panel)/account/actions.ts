"use server";
// The account page's server action: who asks, then app/_handlers/account.ts.
import { requirePrincipal } from "@/lib/auth/session.ts";
import { changePassword } from "@/app/_handlers/account.ts";

export async function changePasswordAction(input: unknown) {
  return changePassword(await requirePrincipal(), input);
}
