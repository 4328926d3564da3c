// What the members page's server actions do, given who asks.
import type { Principal } from "@/lib/permissions.ts";
import { changeRole, inviteMember, removeMember, revokeInvitation } from "@/lib/tenancy/members.ts";
import { parseOrThrow } from "@/lib/validation.ts";
import { runAction } from "@/app/_lib/action-state.ts";
import { idSchema, slugSchema } from "./schemas.ts";

export function invite(principal: Principal, tenant: unknown, input: unknown) {
  return runAction(async () => {
    const invitation = await inviteMember(principal, parseOrThrow(slugSchema, tenant), input);
    return { url: invitation.url, expiresAt: invitation.expiresAt.toISOString() };
  });
}

export function setRole(principal: Principal, tenant: unknown, membershipId: unknown, role: unknown) {
  return runAction(async () => {
    await changeRole(principal, parseOrThrow(slugSchema, tenant), parseOrThrow(idSchema, membershipId), role);
    return true;
  });
}

export function removeFromTenant(principal: Principal, tenant: unknown, membershipId: unknown) {
  return runAction(async () => {
    await removeMember(principal, parseOrThrow(slugSchema, tenant), parseOrThrow(idSchema, membershipId));
    return true;
  });
}

export function revoke(principal: Principal, tenant: unknown, invitationId: unknown) {
  return runAction(async () => {
    await revokeInvitation(principal, parseOrThrow(slugSchema, tenant), parseOrThrow(idSchema, invitationId));
    return true;
  });
}
