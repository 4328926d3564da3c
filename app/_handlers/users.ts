// What the users pages' server actions do: /admin/users (platform admins, given who asks) and
// the public password reset page (the token is the key).
import { z } from "zod";
import type { Principal } from "@/lib/permissions.ts";
import { createPasswordReset, disableUser, enableUser, resetPasswordWithToken, setPlatformAdmin } from "@/lib/users/users.ts";
import { parseOrThrow } from "@/lib/validation.ts";
import { runAction } from "@/app/_lib/action-state.ts";
import { tokenSchema } from "./schemas.ts";

// The shape only; lib/users parses it as an email address.
const emailArgument = z.string().min(1).max(320);

export function disableAccount(principal: Principal, email: unknown) {
  return runAction(async () => {
    const done = await disableUser(principal, parseOrThrow(emailArgument, email, ["email"]));
    return { changed: done.changed, sessionsEnded: done.sessionsEnded };
  });
}

export function enableAccount(principal: Principal, email: unknown) {
  return runAction(async () => (await enableUser(principal, parseOrThrow(emailArgument, email, ["email"]))).changed);
}

/** The one-time link, shown once to the admin who asked. */
export function makePasswordResetLink(principal: Principal, email: unknown) {
  return runAction(async () => {
    const link = await createPasswordReset(principal, parseOrThrow(emailArgument, email, ["email"]));
    return { url: link.url, expiresAt: link.expiresAt.toISOString() };
  });
}

export function changePlatformAdmin(principal: Principal, email: unknown, on: unknown) {
  return runAction(async () => (await setPlatformAdmin(principal, parseOrThrow(emailArgument, email, ["email"]), parseOrThrow(z.boolean(), on, ["on"]))).changed);
}

/** The reset page: sets the new password; the browser then signs in with it. */
export function resetPasswordFromLink(token: unknown, input: unknown) {
  return runAction(async () => resetPasswordWithToken(parseOrThrow(tokenSchema, token), input));
}
