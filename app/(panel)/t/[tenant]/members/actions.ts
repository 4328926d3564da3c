"use server";
// The members page's server actions: who asks, then app/_handlers/members.ts.
import { revalidatePath } from "next/cache";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { invite, removeFromTenant, revoke, setRole } from "@/app/_handlers/members.ts";

const refresh = <T extends { ok: boolean }>(tenant: unknown, state: T): T => {
  if (state.ok) revalidatePath(`/t/${String(tenant)}/members`);
  return state;
};

export async function inviteMemberAction(tenant: unknown, input: unknown) {
  return refresh(tenant, await invite(await requirePrincipal(), tenant, input));
}

export async function changeRoleAction(tenant: unknown, membershipId: unknown, role: unknown) {
  return refresh(tenant, await setRole(await requirePrincipal(), tenant, membershipId, role));
}

export async function removeMemberAction(tenant: unknown, membershipId: unknown) {
  return refresh(tenant, await removeFromTenant(await requirePrincipal(), tenant, membershipId));
}

export async function revokeInvitationAction(tenant: unknown, invitationId: unknown) {
  return refresh(tenant, await revoke(await requirePrincipal(), tenant, invitationId));
}
