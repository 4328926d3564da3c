// Input schemas for a tenant's quotas, shared by /admin's form, its server action and the CLI
// (`tenant quota <slug> --domains N ...`). Browser-safe.
//
// A quota setting as stored on the tenant (Tenant.quotaDomains, quotaRecordsPerZone,
// quotaChangesPerMinute):
//   null  the platform default (QUOTA_DOMAINS, QUOTA_RECORDS_PER_ZONE, QUOTA_CHANGES_PER_MINUTE)
//   0     unlimited (as 0 means in those variables)
//   N     at most N
import { z } from "zod";

/** The largest limit one can set: far above any real need, well inside a PostgreSQL integer. */
export const MAX_QUOTA = 1_000_000_000;

/**
 * One setting as typed: a whole number (0: unlimited), "unlimited", or "default" / empty
 * (back to the platform default). A number as such (JSON, the CLI's parsed value) is taken too.
 */
export const quotaSettingSchema = z.preprocess(
  (value) => {
    if (value === null) return null;
    if (typeof value !== "string") return value;
    const text = value.trim().toLowerCase();
    if (text === "" || text === "default") return null;
    if (text === "unlimited") return 0;
    return /^\d+$/.test(text) ? Number(text) : value;
  },
  z
    .number({ error: 'a whole number, "unlimited" or "default"' })
    .int('a whole number, "unlimited" or "default"')
    .min(0, 'a whole number, "unlimited" or "default"')
    .max(MAX_QUOTA, `at most ${MAX_QUOTA.toLocaleString("en-US")}`)
    .nullable(),
);

/** What `setTenantQuotas` takes: each quota left out stays as it is. */
export const tenantQuotasSchema = z.object({
  domains: quotaSettingSchema.optional(),
  recordsPerZone: quotaSettingSchema.optional(),
  changesPerMinute: quotaSettingSchema.optional(),
});

export type TenantQuotasInput = z.input<typeof tenantQuotasSchema>;
export type TenantQuotasUpdate = z.output<typeof tenantQuotasSchema>;

/** The quotas, in the order they are shown and with the words people read. */
export const QUOTA_NAMES = {
  domains: "Domains",
  recordsPerZone: "Records per zone",
  changesPerMinute: "Changes per minute",
} as const;

export type QuotaName = keyof typeof QUOTA_NAMES;
