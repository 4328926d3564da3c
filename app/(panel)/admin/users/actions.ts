"use server";
// /admin/users' server actions: who asks, then app/_handlers/users.ts.
import { revalidatePath } from "next/cache";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { changePlatformAdmin, disableAccount, enableAccount, makePasswordResetLink } from "@/app/_handlers/users.ts";

const refresh = <T extends { ok: boolean }>(state: T): T => {
  if (state.ok) revalidatePath("/admin/users", "layout");
  return state;
};

export async function disableUserAction(email: unknown) {
  return refresh(await disableAccount(await requirePrincipal(), email));
}

export async function enableUserAction(email: unknown) {
  return refresh(await enableAccount(await requirePrincipal(), email));
}

export async function createPasswordResetAction(email: unknown) {
  return refresh(await makePasswordResetLink(await requirePrincipal(), email));
}

export async function setPlatformAdminAction(email: unknown, on: unknown) {
  return refresh(await changePlatformAdmin(await requirePrincipal(), email, on));
}
