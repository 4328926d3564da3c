"use server";
// The domains page's server actions: who asks, then app/_handlers/domains.ts or registrar.ts.
import { revalidatePath } from "next/cache";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { deleteDomain, hostDomain } from "@/app/_handlers/domains.ts";
import { checkDomainName, registerNewDomain } from "@/app/_handlers/registrar.ts";

export async function addDomainAction(tenant: unknown, name: unknown) {
  const state = await hostDomain(await requirePrincipal(), tenant, name);
  if (state.ok) revalidatePath(`/t/${String(tenant)}/domains`);
  return state;
}

export async function removeDomainAction(tenant: unknown, name: unknown, confirmation: unknown) {
  const state = await deleteDomain(await requirePrincipal(), tenant, name, confirmation);
  if (state.ok) revalidatePath(`/t/${String(tenant)}/domains`);
  return state;
}

export async function checkDomainNameAction(tenant: unknown, name: unknown) {
  return checkDomainName(await requirePrincipal(), tenant, name);
}

export async function registerDomainAction(tenant: unknown, name: unknown, years: unknown) {
  const state = await registerNewDomain(await requirePrincipal(), tenant, name, years);
  if (state.ok) revalidatePath(`/t/${String(tenant)}/domains`);
  return state;
}
