"use server";
// Server actions of the members page: thin edges over lib/tenancy/members.ts.
import { revalidatePath } from "next/cache";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { changeRole, inviteMember, removeMember, revokeInvitation } from "@/lib/tenancy/members.ts";
import { runAction } from "@/app/_lib/action-state.ts";

const page = (tenant: string) => `/t/${tenant}/members`;

export async function inviteMemberAction(tenant: string, input: unknown) {
  return runAction(async () => {
    const invitation = await inviteMember(await requirePrincipal(), tenant, input);
    revalidatePath(page(tenant));
    return { url: invitation.url, expiresAt: invitation.expiresAt.toISOString() };
  });
}

export async function changeRoleAction(tenant: string, membershipId: string, role: unknown) {
  return runAction(async () => {
    await changeRole(await requirePrincipal(), tenant, membershipId, role);
    revalidatePath(page(tenant));
    return true;
  });
}

export async function removeMemberAction(tenant: string, membershipId: string) {
  return runAction(async () => {
    await removeMember(await requirePrincipal(), tenant, membershipId);
    revalidatePath(page(tenant));
    return true;
  });
}

export async function revokeInvitationAction(tenant: string, invitationId: string) {
  return runAction(async () => {
    await revokeInvitation(await requirePrincipal(), tenant, invitationId);
    revalidatePath(page(tenant));
    return true;
  });
}
