// What the platform admin page's server actions do, given who asks.
import { z } from "zod";
import type { Principal } from "@/lib/permissions.ts";
import { createTenant, setTenantStatus } from "@/lib/tenancy/tenants.ts";
import { parseOrThrow } from "@/lib/validation.ts";
import { runAction } from "@/app/_lib/action-state.ts";
import { slugSchema } from "./schemas.ts";

export function addTenant(principal: Principal, input: unknown) {
  return runAction(async () => {
    const { tenant, invitation } = await createTenant(principal, input);
    return { slug: tenant.slug, url: invitation.url };
  });
}

export function changeTenantStatus(principal: Principal, slug: unknown, status: unknown) {
  return runAction(async () => {
    await setTenantStatus(principal, parseOrThrow(slugSchema, slug), parseOrThrow(z.enum(["active", "suspended"]), status, ["status"]));
    return true;
  });
}
