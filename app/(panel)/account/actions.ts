"use server";
import { requirePrincipal, renewSession } from "@/lib/auth/session.ts";
import { changeOwnPassword } from "@/lib/auth/account.ts";
import { runAction } from "@/app/_lib/action-state.ts";

export async function changePasswordAction(input: unknown) {
  return runAction(async () => {
    const user = await changeOwnPassword(await requirePrincipal(), input);
    // Other sessions carry the old session version and end; this browser gets a fresh cookie.
    await renewSession(user);
    return true;
  });
}
