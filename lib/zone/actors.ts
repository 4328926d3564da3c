// Who a change is recorded as, per caller.
import type { Principal } from "../permissions.ts";
import type { Actor } from "./change-set.ts";

/**
 * A signed-in user acting in the panel. A platform admin is marked as one: a suspension does
 * not stop their changes (they clean up after abuse; lib/tenancy/tenant-writes.ts), and the
 * audit entries of their changes say so.
 */
export function panelActor(principal: Principal): Actor {
  return {
    userId: principal.userId,
    label: principal.email,
    source: "panel",
    clientAddress: principal.clientAddress ?? null,
    ...(principal.isPlatformAdmin ? { platformAdmin: true } : {}),
  };
}
