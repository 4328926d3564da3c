// The shapes of registrar input at the boundary (panel handlers, CLI): checked before anything
// reaches the registry, which then applies its own rules (lib/registry/hosts.ts, lifecycle.ts).
import { z } from "zod";
import { MAX_YEARS, MIN_YEARS } from "../registry/lifecycle.ts";
import { MAX_NAMESERVERS } from "../registry/hosts.ts";

export const domainNameInputSchema = z.string({ error: "a domain name is required" }).trim().min(1, "a domain name is required").max(300, "the name is too long");

export const yearsSchema = z.coerce
  .number({ error: "years must be a number" })
  .int(`years must be a whole number from ${MIN_YEARS} to ${MAX_YEARS}`)
  .min(MIN_YEARS, `years must be a whole number from ${MIN_YEARS} to ${MAX_YEARS}`)
  .max(MAX_YEARS, `years must be a whole number from ${MIN_YEARS} to ${MAX_YEARS}`);

export const hostInputSchema = z.object({
  name: z.string({ error: "a host name is required" }).trim().min(1, "a host name is required").max(300),
  addresses: z.array(z.string().trim().max(100)).max(26).optional(),
});

/** "Use our nameservers", or a list of hosts ("Use custom nameservers"). */
export const nameserverChoiceSchema = z.discriminatedUnion("ours", [
  z.object({ ours: z.literal(true) }),
  z.object({ ours: z.literal(false), hosts: z.array(hostInputSchema).max(MAX_NAMESERVERS + 5) }),
]);

export const addressesSchema = z.array(z.string().trim().max(100)).max(26);
