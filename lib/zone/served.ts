// Which zones the nameserver serves — a rule in one place, not a flag scattered around.
//
// A zone is served when
//   - it is a platform zone (no domain, no tenant: the registry's TLDs), always; or
//   - its tenant is active or suspended for billing (not for abuse: lib/tenancy/suspension.ts), and
//       - the parent zone delegates its domain to our nameservers (delegation mode "hosted";
//         for a domain registered here, only while the registration is delegated at all, i.e.
//         not in redemption), or
//       - the parent stopped doing so less than its NS TTL plus a margin ago
//         (Delegation.hostedUntil): resolvers that cached the old delegation still ask us, and
//         answering them keeps the switch free of an outage.
// Anything else gets REFUSED; its records stay in the database.
//
// The rule has a time in it, so it takes `now`: the nameserver evaluates it with its clock (and
// reloads a zone when its hostedUntil passes), tests with whatever clock they like.
import type { Prisma } from "../generated/prisma/client.ts";

/** How often a nameserver refreshes NameserverInstance.lastSeenAt (nameserver/served-serials.ts). */
export const NAMESERVER_HEARTBEAT_SECONDS = 5;
/** A nameserver not seen for this long is gone: the panel stops waiting for it. */
export const NAMESERVER_ALIVE_SECONDS = 20;

export function servedZoneWhere(now: Date = new Date()): Prisma.ZoneWhereInput {
  return {
    OR: [
      { domainId: null, tenantId: null },
      {
        // A billing suspension keeps the zones served; an abuse suspension stops them.
        tenant: { OR: [{ status: "active" }, { suspensionKind: "billing" }] },
        domain: {
          OR: [
            { delegation: { mode: "hosted" }, NOT: { registration: { is: { status: "redemption" } } } },
            { delegation: { hostedUntil: { gt: now } } },
          ],
        },
      },
    ],
  };
}

/** The moment a zone served only because of a hand-over stops being served (null: not in one). */
export function handoverEnds(delegation: { mode: string; hostedUntil: Date | null } | null, registrationStatus: string | null, now: Date): Date | null {
  if (!delegation?.hostedUntil || delegation.hostedUntil <= now) return null;
  const delegatedToUs = delegation.mode === "hosted" && registrationStatus !== "redemption";
  return delegatedToUs ? null : delegation.hostedUntil;
}
