// Input schemas for tenants and members, shared by the panel's forms and the server.
// Browser-safe.
import { z } from "zod";
import { newPasswordSchema } from "../auth/password-policy.ts";

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
  name: z.string().trim().min(1, "a name is required").max(100, "at most 100 characters"),
  ownerEmail: emailSchema,
});

export const acceptInvitationSchema = z.object({
  name: z.string().trim().max(100, "at most 100 characters"),
  password: newPasswordSchema,
});
