"use server";
// The platform admin's tenant pages' server actions: who asks, then app/_handlers/tenants.ts.
import { revalidatePath } from "next/cache";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { addTenant, changeTenantQuotas, liftSuspension, moveTenantDomain, removeTenant, renameTenantTo, suspendTenantWith } from "@/app/_handlers/tenants.ts";

const refresh = <T extends { ok: boolean }>(slug: unknown, state: T): T => {
  if (state.ok) {
    revalidatePath("/admin/tenants");
    if (typeof slug === "string") revalidatePath(`/admin/tenants/${slug}`);
  }
  return state;
};

export async function createTenantAction(input: unknown) {
  return refresh(undefined, await addTenant(await requirePrincipal(), input));
}

export async function renameTenantAction(slug: unknown, name: unknown) {
  return refresh(slug, await renameTenantTo(await requirePrincipal(), slug, name));
}

export async function suspendTenantAction(slug: unknown, input: unknown) {
  return refresh(slug, await suspendTenantWith(await requirePrincipal(), slug, input));
}

export async function resumeTenantAction(slug: unknown) {
  return refresh(slug, await liftSuspension(await requirePrincipal(), slug));
}

export async function deleteTenantAction(slug: unknown) {
  return refresh(slug, await removeTenant(await requirePrincipal(), slug));
}

export async function setTenantQuotasAction(slug: unknown, input: unknown) {
  return refresh(slug, await changeTenantQuotas(await requirePrincipal(), slug, input));
}

export async function moveDomainAction(domain: unknown, to: unknown) {
  const state = await moveTenantDomain(await requirePrincipal(), domain, to);
  if (state.ok) {
    revalidatePath("/admin/tenants");
    revalidatePath(`/admin/tenants/${state.result.from}`);
    revalidatePath(`/admin/tenants/${state.result.to}`);
  }
  return state;
}
