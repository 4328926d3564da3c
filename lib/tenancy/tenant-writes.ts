// The gate of every write to a tenant's data behind the permission check: the write path
// (lib/zone/change-set.ts), the registrar and the registry (lib/registrar/domains.ts,
// lib/registry/local-registry.ts) and hosting (lib/domains.ts) pass through it, so a suspension
// and the quotas (lib/tenancy/quotas.ts) hold for every caller — the panel, the CLI, later the
// API and DNS UPDATE — and not only where lib/permissions.ts is asked first.
//
// Who is not stopped by a suspension:
//   - platform admins acting in the panel (Actor.platformAdmin, set by panelActor): they clean
//     up after abuse; their changes are audited like everyone's, with platformAdmin marked;
//   - the platform's own processes (Actor.source "system" or "registry"): the registry's clock
//     (expiry, grace, release) keeps running for a suspended tenant, as the lifecycle of its
//     registrations does not stop with its account; "system" is the platform itself (start-up,
//     the benchmark's loader, the tests' fixtures). Their writes are not bound by the tenant's
//     quotas either: quotas limit what a tenant's people and programs do.
// The CLI is the operator's tool but acts for a tenant (`record add`, `domain register --tenant`):
// it is refused like the panel, with the same message; an operator lifts the suspension first.
import { Prisma } from "../generated/prisma/client.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import type { DbClient } from "../db/client.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import type { Actor } from "../zone/change-set.ts";
import { isSuspended, suspensionMessage } from "./suspension.ts";

type Tx = Prisma.TransactionClient;

/** What the gate and the quotas need of a tenant. */
export type TenantForWrite = Pick<
  Tenant,
  "id" | "slug" | "name" | "status" | "suspensionKind" | "suspensionReason" | "quotaDomains" | "quotaRecordsPerZone" | "quotaChangesPerMinute"
>;

/** The platform's own processes (the registry's clock, start-up, fixtures): neither suspensions nor quotas stop them. */
export function isPlatformWrite(actor: Pick<Actor, "source">): boolean {
  return actor.source === "system" || actor.source === "registry";
}

/** Refuses a change to a suspended tenant's data, with the reason (unless the actor is exempt, above). */
export function refuseSuspendedWrite(tenant: TenantForWrite, actor: Actor): void {
  if (!isSuspended(tenant) || actor.platformAdmin || isPlatformWrite(actor)) return;
  throw new ForbiddenError(suspensionMessage(tenant));
}

/**
 * Reads the tenant, optionally locking its row until COMMIT. The lock is FOR NO KEY UPDATE:
 * it queues the tenant's writers one behind the other (the rate limit and the domain quota
 * count, then write), and a suspension or quota change (an UPDATE of the row) waits for them,
 * and they for it; it does not conflict with the FOR KEY SHARE lock that inserting a row
 * referencing the tenant takes, so nothing else waits. Other tenants' rows are not touched.
 */
export async function readTenantForWrite(client: DbClient, tenantId: string, opts: { lock: boolean }): Promise<TenantForWrite> {
  const rows = await client.$queryRaw<TenantForWrite[]>`
    SELECT id, slug, name, status::text AS status, "suspensionKind"::text AS "suspensionKind", "suspensionReason",
           "quotaDomains", "quotaRecordsPerZone", "quotaChangesPerMinute"
    FROM "Tenant" WHERE id = ${tenantId}
    ${opts.lock ? Prisma.sql`FOR NO KEY UPDATE` : Prisma.empty}`;
  if (rows.length === 0) throw new NotFoundError("tenant");
  return rows[0];
}

/**
 * The tenant a write is about to change, checked: for the platform's own writes it is only
 * read; for everyone else its row is locked until COMMIT (a suspension committed meanwhile is
 * seen, and none can commit until this write has) and a suspension refuses the write.
 */
export async function tenantForWrite(tx: Tx, tenantId: string, actor: Actor): Promise<TenantForWrite> {
  if (isPlatformWrite(actor)) return readTenantForWrite(tx, tenantId, { lock: false });
  const tenant = await readTenantForWrite(tx, tenantId, { lock: true });
  refuseSuspendedWrite(tenant, actor);
  return tenant;
}
