// Which zones the nameserver serves — a rule in one place, not a flag scattered around:
// a zone is served when its domain is delegated to our nameservers (delegation mode "hosted")
// and its tenant is not suspended; platform zones (no domain, no tenant: the registry's TLDs)
// are always served. Anything else gets REFUSED; its records stay in the database.
import type { Prisma } from "../generated/prisma/client.ts";

/** How often a nameserver refreshes NameserverInstance.lastSeenAt (nameserver/served-serials.ts). */
export const NAMESERVER_HEARTBEAT_SECONDS = 5;
/** A nameserver not seen for this long is gone: the panel stops waiting for it. */
export const NAMESERVER_ALIVE_SECONDS = 20;

export const SERVED_ZONE_WHERE: Prisma.ZoneWhereInput = {
  OR: [
    { domainId: null, tenantId: null },
    { domain: { delegation: { mode: "hosted" } }, tenant: { status: "active" } },
  ],
};
