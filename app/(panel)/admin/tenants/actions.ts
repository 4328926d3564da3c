"use server";
// The platform admin page's server actions: who asks, then app/_handlers/tenants.ts.
import { revalidatePath } from "next/cache";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { addTenant, changeTenantStatus } from "@/app/_handlers/tenants.ts";

export async function createTenantAction(input: unknown) {
  const state = await addTenant(await requirePrincipal(), input);
  if (state.ok) revalidatePath("/admin/tenants");
  return state;
}

export async function setTenantStatusAction(slug: unknown, status: unknown) {
  const state = await changeTenantStatus(await requirePrincipal(), slug, status);
  if (state.ok) revalidatePath("/admin/tenants");
  return state;
}
