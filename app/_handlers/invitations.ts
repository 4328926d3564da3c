// What the invitation page's server actions do. The token is the key; accepting as an
// existing user also needs that user signed in.
import { ForbiddenError } from "@/lib/errors.ts";
import type { Principal } from "@/lib/permissions.ts";
import { acceptInvitationAsUser, acceptInvitationWithPassword } from "@/lib/tenancy/members.ts";
import { parseOrThrow } from "@/lib/validation.ts";
import { runAction } from "@/app/_lib/action-state.ts";
import { tokenSchema } from "./schemas.ts";

export function acceptWithPassword(token: unknown, input: unknown) {
  return runAction(async () => acceptInvitationWithPassword(parseOrThrow(tokenSchema, token), input));
}

export function acceptAsUser(principal: Principal | null, token: unknown) {
  return runAction(async () => {
    if (!principal) throw new ForbiddenError("sign in first");
    return acceptInvitationAsUser(principal, parseOrThrow(tokenSchema, token));
  });
}
