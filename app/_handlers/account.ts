// What the account page's server action does, given who asks.
import { changeOwnPassword } from "@/lib/auth/account.ts";
import type { Principal } from "@/lib/permissions.ts";
import { runAction } from "@/app/_lib/action-state.ts";

export function changePassword(principal: Principal, input: unknown) {
  return runAction(async () => {
    await changeOwnPassword(principal, input);
    return true;
  });
}
