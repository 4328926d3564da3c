// What a suspension means, in one place (docs/decisions/013-platform-administration.md).
//
// A platform admin suspends a tenant with a kind and a reason:
//   - billing: its zones are still served; its members can sign in and read everything; every
//     change (panel, CLI, API, DNS UPDATE) is refused with suspensionMessage().
//   - abuse: the same, and its zones are no longer served: the nameserver answers REFUSED for
//     them (lib/zone/served.ts), records kept, until the suspension is lifted.
// Platform admins keep acting on a suspended tenant (to clean up after abuse), audited.
import type { Tenant } from "../generated/prisma/client.ts";

export type SuspensionKind = "billing" | "abuse";

/** Whom members of a suspended tenant should contact (SUPPORT_CONTACT), for messages and the banner. */
export function supportContact(): string {
  return process.env.SUPPORT_CONTACT?.trim() || "the platform's support";
}

type SuspendedTenant = Pick<Tenant, "name" | "status" | "suspensionKind" | "suspensionReason">;

export function isSuspended(tenant: Pick<Tenant, "status">): boolean {
  return tenant.status === "suspended";
}

/** True when the tenant's suspension stops its zones being served (abuse does; billing does not). */
export function suspensionStopsServing(tenant: Pick<Tenant, "status" | "suspensionKind">): boolean {
  return tenant.status === "suspended" && tenant.suspensionKind !== "billing";
}

/** The error every refused change of a suspended tenant carries: what, why, and whom to ask. */
export function suspensionMessage(tenant: SuspendedTenant): string {
  const kind = tenant.suspensionKind === "billing" ? "for billing" : "for abuse";
  const reason = tenant.suspensionReason ? ` (${tenant.suspensionReason})` : "";
  return `${tenant.name} is suspended ${kind}${reason}: changes are disabled; contact ${supportContact()}`;
}
