// Who a change is recorded as, per caller.
import type { Principal } from "../permissions.ts";
import type { Actor } from "./change-set.ts";

export function panelActor(principal: Principal): Actor {
  return { userId: principal.userId, label: principal.email, source: "panel", clientAddress: principal.clientAddress ?? null };
}
