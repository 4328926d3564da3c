// Input schemas for tenants and members, shared by the panel's forms and the server.
// Browser-safe.
import { z } from "zod";
import { newPasswordSchema } from "../auth/password-policy.ts";
import { firstValue } from "../validation.ts";

export const roleSchema = z.enum(["owner", "admin", "editor", "viewer"], { error: "choose a role" });

export const emailSchema = z
  .string({ error: "an email address is required" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "not a valid email address" }).max(254, "email address is too long"));

export const inviteSchema = z.object({ email: emailSchema, role: roleSchema });

export const tenantSlugSchema = z
  .string({ error: "a short name is required" })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "1-40 lowercase letters, digits and hyphens (no hyphen at either end)");

export const createTenantSchema = z.object({
  slug: tenantSlugSchema,
  name: z.string({ error: "a name is required" }).trim().min(1, "a name is required").max(100, "at most 100 characters"),
  ownerEmail: emailSchema,
});

export const acceptInvitationSchema = z.object({
  name: z.string().trim().max(100, "at most 100 characters"),
  password: newPasswordSchema,
});

export const tenantNameSchema = z.string({ error: "a name is required" }).trim().min(1, "a name is required").max(100, "at most 100 characters");

export const renameTenantSchema = z.object({ name: tenantNameSchema });

export const SUSPENSION_KINDS = ["billing", "abuse"] as const;

/** What each kind of suspension does, in one line, for the suspend form and the CLI's help. */
export const SUSPENSION_KIND_DESCRIPTIONS: Record<(typeof SUSPENSION_KINDS)[number], string> = {
  billing: "Billing: its domains keep being served; members can sign in and read, but every change is refused.",
  abuse: "Abuse: the same, and its domains stop being served (the nameservers answer REFUSED); records are kept.",
};

export const suspendTenantSchema = z.object({
  kind: z.enum(SUSPENSION_KINDS, { error: "choose billing or abuse" }),
  reason: z
    .string({ error: "a reason is required (the tenant's members see it)" })
    .trim()
    .min(1, "a reason is required (the tenant's members see it)")
    .max(500, "at most 500 characters"),
});
export type SuspendTenantInput = z.infer<typeof suspendTenantSchema>;

// The tenant list (/admin/tenants): its state lives in the URL, so anything unexpected falls
// back to the default instead of failing the page.
export const TENANT_SORTS = ["name", "slug", "created", "domains", "records", "activity", "status"] as const;
export type TenantSort = (typeof TENANT_SORTS)[number];
export const TENANTS_PAGE_SIZE = 50;

/** Text columns read best A→Z, figures and dates biggest/newest first. */
export function defaultTenantSortDir(sort: TenantSort): "asc" | "desc" {
  return sort === "name" || sort === "slug" || sort === "status" ? "asc" : "desc";
}

/** A query-string value as one string (Next gives repeated keys as arrays). */
export const tenantListQuerySchema = z
  .object({
    q: z.preprocess(firstValue, z.string().trim().max(200)).catch(""),
    sort: z.preprocess(firstValue, z.enum(TENANT_SORTS)).catch("name"),
    dir: z.preprocess(firstValue, z.enum(["asc", "desc"]).optional()).catch(undefined),
    page: z.preprocess(firstValue, z.coerce.number().int().min(1)).catch(1), // past the last page: the last page
    perPage: z.preprocess(firstValue, z.coerce.number().int().min(1).max(200)).catch(TENANTS_PAGE_SIZE),
  })
  .transform((query) => ({ ...query, dir: query.dir ?? defaultTenantSortDir(query.sort) }));
export type TenantListQuery = z.output<typeof tenantListQuerySchema>;
