"use server";
import { revalidatePath } from "next/cache";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { createTenant, setTenantStatus } from "@/lib/tenancy/tenants.ts";
import { runAction } from "@/app/_lib/action-state.ts";

export async function createTenantAction(input: unknown) {
  return runAction(async () => {
    const { tenant, invitation } = await createTenant(await requirePrincipal(), input);
    revalidatePath("/admin");
    return { slug: tenant.slug, url: invitation.url };
  });
}

export async function setTenantStatusAction(slug: string, status: "active" | "suspended") {
  return runAction(async () => {
    await setTenantStatus(await requirePrincipal(), slug, status);
    revalidatePath("/admin");
    return true;
  });
}
