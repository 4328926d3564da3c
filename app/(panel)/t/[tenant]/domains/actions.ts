"use server";
import { revalidatePath } from "next/cache";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { addDomain } from "@/lib/domains.ts";
import { runAction } from "@/app/_lib/action-state.ts";

export async function addDomainAction(tenant: string, name: string) {
  return runAction(async () => {
    const principal = await requirePrincipal();
    const { change } = await addDomain(principal, tenant, name);
    revalidatePath(`/t/${tenant}/domains`);
    return { name: change.zoneName, serial: change.serial };
  });
}
