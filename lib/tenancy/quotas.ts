// A tenant's quotas: how many domains it may hold, how many records each of its zones, and how
// many change sets it may make a minute (a write rate limit). Platform defaults come from the
// environment; a platform admin may set other limits per tenant (Tenant.quota*).
//
//   QUOTA_DOMAINS             default 100      domains per tenant (hosted, registered, moved in)
//   QUOTA_RECORDS_PER_ZONE    default 10000    records per zone of a tenant (its NS records included;
//                                              MAX_RECORDS_PER_ZONE, its older name, is read when unset)
//   QUOTA_CHANGES_PER_MINUTE  default 120      change sets per tenant in any 60 seconds
// 0 or "unlimited": no limit. The defaults are a hosting provider's usual ones (Route 53 allows
// 10,000 records per zone; 120 change sets a minute is two a second, far above a person's pace,
// and stops a runaway script before the nameservers reload all day).
//
// Enforced where data is written, never only in the UI: the write path (records per zone,
// change sets per minute; lib/zone/change-set.ts), hosting and registering a domain and moving
// one in (domains; lib/domains.ts, lib/registrar/domains.ts, lib/tenancy/domain-move.ts). Each
// refusal names the limit and the usage and writes nothing. A zone over its limit (the limit
// was lowered) can still shrink: only a change that grows it is refused. The platform's own
// writes (lib/tenancy/tenant-writes.ts) are not limited, and zones without a tenant (the
// registry's TLDs) have no quota.
import { db, type Db, type DbClient } from "../db/client.ts";
import { NotFoundError } from "../errors.ts";
import type { Prisma, Tenant } from "../generated/prisma/client.ts";
import { requirePlatformAdmin, requireTenantPermission, type Principal } from "../permissions.ts";
import { parseOrThrow } from "../validation.ts";
import { actorFields, audit } from "../audit/audit.ts";
import type { Actor } from "../zone/change-set.ts";
import { panelActor } from "../zone/actors.ts";
import { QuotaExceededError, RateLimitedError } from "./quota-errors.ts";
import { tenantQuotasSchema, type QuotaName } from "./quota-schemas.ts";
import { isPlatformWrite, readTenantForWrite, type TenantForWrite } from "./tenant-writes.ts";

export { tenantQuotasSchema, quotaSettingSchema, QUOTA_NAMES, type QuotaName, type TenantQuotasInput } from "./quota-schemas.ts";
export { QuotaExceededError, RateLimitedError } from "./quota-errors.ts";

type Tx = Prisma.TransactionClient;
/** The environment, or any other map of its variables (tests). */
type Env = Record<string, string | undefined>;

/** Limits in force; null: unlimited. */
export interface QuotaLimits {
  domains: number | null;
  recordsPerZone: number | null;
  changesPerMinute: number | null;
}

/** A tenant's own settings as stored: null: the platform default; 0: unlimited; N: at most N. */
export type QuotaOverrides = QuotaLimits;

export const QUOTA_DEFAULTS: Readonly<QuotaLimits> = { domains: 100, recordsPerZone: 10_000, changesPerMinute: 120 };

/** The window of the write rate limit. */
export const RATE_WINDOW_SECONDS = 60;

export interface TenantUsage {
  domains: { used: number; limit: number | null };
  recordsPerZone: { used: number; largestZone: string | null; limit: number | null };
  changesPerMinute: { used: number; limit: number | null };
}

const warned = new Set<string>();

/** A limit from the environment: a whole number, 0 or "unlimited" (null); anything else: the default, with a warning. */
function envLimit(env: Env, names: string[], fallback: number | null): number | null {
  for (const name of names) {
    const text = (env[name] ?? "").trim().toLowerCase();
    if (text === "") continue;
    if (text === "unlimited" || text === "0") return null;
    if (/^\d+$/.test(text)) return Number(text);
    if (!warned.has(`${name}=${text}`)) {
      warned.add(`${name}=${text}`);
      console.warn(`[quotas] ${name}="${env[name]}" is not a whole number or "unlimited"; using ${fallback ?? "unlimited"}`);
    }
    return fallback;
  }
  return fallback;
}

/** The platform defaults (QUOTA_*), read on every call like the rest of the configuration. */
export function platformQuotas(env: Env = process.env): QuotaLimits {
  return {
    domains: envLimit(env, ["QUOTA_DOMAINS"], QUOTA_DEFAULTS.domains),
    recordsPerZone: envLimit(env, ["QUOTA_RECORDS_PER_ZONE", "MAX_RECORDS_PER_ZONE"], QUOTA_DEFAULTS.recordsPerZone),
    changesPerMinute: envLimit(env, ["QUOTA_CHANGES_PER_MINUTE"], QUOTA_DEFAULTS.changesPerMinute),
  };
}

type QuotaColumns = Pick<Tenant, "quotaDomains" | "quotaRecordsPerZone" | "quotaChangesPerMinute">;

export function quotaOverrides(tenant: QuotaColumns): QuotaOverrides {
  return { domains: tenant.quotaDomains, recordsPerZone: tenant.quotaRecordsPerZone, changesPerMinute: tenant.quotaChangesPerMinute };
}

/** The limits in force for a tenant: its own where set (0: unlimited), the platform's otherwise. */
export function tenantLimits(tenant: QuotaColumns, env: Env = process.env): QuotaLimits {
  const defaults = platformQuotas(env);
  const own = quotaOverrides(tenant);
  const pick = (name: QuotaName) => (own[name] === null ? defaults[name] : own[name] === 0 ? null : own[name]);
  return { domains: pick("domains"), recordsPerZone: pick("recordsPerZone"), changesPerMinute: pick("changesPerMinute") };
}

const count = (n: number) => n.toLocaleString("en-US");

// --- Usage ---

async function domainCount(client: DbClient, tenantId: string): Promise<number> {
  return client.domain.count({ where: { tenantId } });
}

/**
 * The tenant's change sets in the last RATE_WINDOW_SECONDS, and when the `limit`-th newest of
 * them leaves the window. Counted from the audit log's "zone.change" entries (one per change
 * set, written in its transaction), not from the journal: removing a zone deletes its journal,
 * so an add-domain / remove-domain loop would never build up a count there; audit entries stay.
 */
async function recentChanges(client: DbClient, tenantId: string, limit: number | null): Promise<{ used: number; retryAfterSeconds: number }> {
  const now = Date.now();
  const where = { tenantId, action: "zone.change", createdAt: { gt: new Date(now - RATE_WINDOW_SECONDS * 1000) } };
  const [used, nth] = await Promise.all([
    client.auditLog.count({ where }),
    client.auditLog.findMany({ where, orderBy: { createdAt: "desc" }, skip: Math.max((limit ?? 1) - 1, 0), take: 1, select: { createdAt: true } }),
  ]);
  const leavesWindowAt = nth[0] ? nth[0].createdAt.getTime() + RATE_WINDOW_SECONDS * 1000 : now;
  return { used, retryAfterSeconds: Math.max(1, Math.ceil((leavesWindowAt - now) / 1000)) };
}

/** The tenant's usage against its limits, for its settings page and /admin. */
export async function tenantUsage(tenantId: string, client: Db = db()): Promise<TenantUsage> {
  const tenant = await client.tenant.findUnique({ where: { id: tenantId } });
  if (!tenant) throw new NotFoundError("tenant");
  const limits = tenantLimits(tenant);
  const [domains, largest, changes] = await Promise.all([
    domainCount(client, tenantId),
    client.$queryRaw<{ name: string; records: number }[]>`
      SELECT z.name, (SELECT count(*) FROM "Record" r WHERE r."zoneId" = z.id)::int AS records
      FROM "Zone" z WHERE z."tenantId" = ${tenantId}
      ORDER BY records DESC, z.name LIMIT 1`,
    recentChanges(client, tenantId, limits.changesPerMinute),
  ]);
  return {
    domains: { used: domains, limit: limits.domains },
    recordsPerZone: { used: largest[0]?.records ?? 0, largestZone: largest[0]?.name ?? null, limit: limits.recordsPerZone },
    changesPerMinute: { used: changes.used, limit: limits.changesPerMinute },
  };
}

/** The tenant's usage, for any member (its settings page); platform admins too (audited by the check). */
export async function usageFor(principal: Principal, slug: string, client: Db = db()): Promise<TenantUsage> {
  const { tenant } = await requireTenantPermission(principal, slug, "zone:read", client);
  return tenantUsage(tenant.id, client);
}

// --- Setting a tenant's quotas (platform administration) ---

export interface TenantQuotaChange {
  slug: string;
  /** The tenant's own settings before and after (null: platform default; 0: unlimited). */
  from: QuotaOverrides;
  to: QuotaOverrides;
  /** The limits now in force (null: unlimited). */
  limits: QuotaLimits;
}

/**
 * Sets a tenant's quotas: `input` is parsed with tenantQuotasSchema (a quota left out stays;
 * null or "default": the platform default; 0 or "unlimited": none). Platform admins only;
 * audited "tenant.quota" with from/to. Lowering a limit below the usage refuses further growth
 * and deletes nothing.
 */
export async function setTenantQuotas(principal: Principal, slug: string, input: unknown, client: Db = db()): Promise<TenantQuotaChange> {
  requirePlatformAdmin(principal);
  return setTenantQuotasAs(panelActor(principal), slug, input, client);
}

/** The same for the operator's CLI (`tenant quota`), which acts without a signed-in user. */
export async function setTenantQuotasAs(actor: Actor, slug: string, input: unknown, client: Db = db()): Promise<TenantQuotaChange> {
  const update = parseOrThrow(tenantQuotasSchema, input);
  return client.$transaction(async (tx) => {
    const found = await tx.tenant.findUnique({ where: { slug: typeof slug === "string" ? slug : "" }, select: { id: true } });
    if (!found) throw new NotFoundError(`tenant ${slug}`);
    const tenant = await readTenantForWrite(tx, found.id, { lock: true });
    const from = quotaOverrides(tenant);
    const to: QuotaOverrides = {
      domains: update.domains === undefined ? from.domains : update.domains,
      recordsPerZone: update.recordsPerZone === undefined ? from.recordsPerZone : update.recordsPerZone,
      changesPerMinute: update.changesPerMinute === undefined ? from.changesPerMinute : update.changesPerMinute,
    };
    const changed = (Object.keys(to) as QuotaName[]).some((k) => to[k] !== from[k]);
    if (changed) {
      await tx.tenant.update({
        where: { id: tenant.id },
        data: { quotaDomains: to.domains, quotaRecordsPerZone: to.recordsPerZone, quotaChangesPerMinute: to.changesPerMinute },
      });
      await audit(tx, { tenantId: tenant.id, ...actorFields(actor), action: "tenant.quota", target: tenant.slug, details: { source: actor.source, from: { ...from }, to: { ...to } } });
    }
    const limits = tenantLimits({ quotaDomains: to.domains, quotaRecordsPerZone: to.recordsPerZone, quotaChangesPerMinute: to.changesPerMinute });
    return { slug: tenant.slug, from, to, limits };
  });
}

// --- Enforcement (inside the writing transaction, the tenant's row locked: tenantForWrite) ---

/** Refuses adding `adding` domains to a tenant at its domain quota. */
export async function refuseOverDomainQuota(tx: Tx, tenant: TenantForWrite, actor: Actor, adding = 1): Promise<void> {
  if (isPlatformWrite(actor)) return;
  const limit = tenantLimits(tenant).domains;
  if (limit === null) return;
  const used = await domainCount(tx, tenant.id);
  if (used + adding > limit) {
    throw new QuotaExceededError(`quota exceeded: ${tenant.slug} may have ${count(limit)} domain${limit === 1 ? "" : "s"} and has ${count(used)}`, "domains", limit, used);
  }
}

/**
 * Refuses a change set that takes a zone over the records quota. Only growth is refused: a zone
 * left over its quota by a lowered limit can still be edited and shrink.
 */
export function refuseOverRecordsQuota(tenant: TenantForWrite, actor: Actor, zoneName: string, before: number, after: number): void {
  if (isPlatformWrite(actor) || after <= before) return;
  const limit = tenantLimits(tenant).recordsPerZone;
  if (limit === null || after <= limit) return;
  throw new QuotaExceededError(
    `quota exceeded: ${tenant.slug} may have ${count(limit)} records per zone and ${zoneName} has ${count(before)}; this change would make it ${count(after)}`,
    "recordsPerZone",
    limit,
    before,
  );
}

/**
 * The write rate limit: refuses a change set when the tenant made its limit of them in the last
 * RATE_WINDOW_SECONDS. Correct under concurrency only with the tenant's row locked by the
 * caller until COMMIT (tenantForWrite), with the journal entry written after this count in the
 * same transaction: the next writer of the tenant counts after this one committed.
 */
export async function refuseOverChangeRate(tx: Tx, tenant: TenantForWrite, actor: Actor): Promise<void> {
  if (isPlatformWrite(actor)) return;
  const limit = tenantLimits(tenant).changesPerMinute;
  if (limit === null) return;
  const { used, retryAfterSeconds } = await recentChanges(tx, tenant.id, limit);
  if (used >= limit) {
    throw new RateLimitedError(
      `rate limit: ${tenant.slug} may make ${count(limit)} change${limit === 1 ? "" : "s"} per minute and has made ${count(used)} in the last minute; try again in ${retryAfterSeconds} s`,
      limit,
      used,
      retryAfterSeconds,
    );
  }
}
