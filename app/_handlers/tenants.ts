// What the platform admin's tenant pages' server actions do, given who asks.
import { z } from "zod";
import type { Principal } from "@/lib/permissions.ts";
import { createTenant, deleteTenant, renameTenant, resumeTenant, suspendTenant } from "@/lib/tenancy/tenants.ts";
import { setTenantQuotas } from "@/lib/tenancy/quotas.ts";
import { moveDomain } from "@/lib/tenancy/domain-move.ts";
import { parseOrThrow } from "@/lib/validation.ts";
import { runAction } from "@/app/_lib/action-state.ts";
import { slugSchema } from "./schemas.ts";

const domainNameSchema = z.string().min(1).max(300);

export function addTenant(principal: Principal, input: unknown) {
  return runAction(async () => {
    const { tenant, invitation } = await createTenant(principal, input);
    return { slug: tenant.slug, url: invitation.url };
  });
}

export function renameTenantTo(principal: Principal, slug: unknown, name: unknown) {
  return runAction(async () => {
    const { name: renamed } = await renameTenant(principal, parseOrThrow(slugSchema, slug), name);
    return { name: renamed };
  });
}

export function suspendTenantWith(principal: Principal, slug: unknown, input: unknown) {
  return runAction(async () => {
    const result = await suspendTenant(principal, parseOrThrow(slugSchema, slug), input);
    return { kind: result.kind, changed: result.changed };
  });
}

export function liftSuspension(principal: Principal, slug: unknown) {
  return runAction(async () => {
    const result = await resumeTenant(principal, parseOrThrow(slugSchema, slug));
    return { changed: result.changed };
  });
}

export function removeTenant(principal: Principal, slug: unknown) {
  return runAction(async () => {
    await deleteTenant(principal, parseOrThrow(slugSchema, slug));
    return true;
  });
}

export function changeTenantQuotas(principal: Principal, slug: unknown, input: unknown) {
  return runAction(async () => {
    const { limits } = await setTenantQuotas(principal, parseOrThrow(slugSchema, slug), input);
    return { limits };
  });
}

const targetSlugSchema = z.string({ error: "the tenant's short name is required" }).trim().toLowerCase().min(1, "the tenant's short name is required").max(100);

/** Moves a domain (with its zone, records, history and registration) to the tenant `to`. */
export function moveTenantDomain(principal: Principal, domain: unknown, to: unknown) {
  return runAction(async () => {
    const moved = await moveDomain(principal, parseOrThrow(domainNameSchema, domain, ["domain"]), parseOrThrow(targetSlugSchema, to, ["to"]));
    return { domain: moved.domain, from: moved.from, to: moved.to };
  });
}
