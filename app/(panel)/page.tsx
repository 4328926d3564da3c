// Home: straight to the first tenant's domains (or the platform admin's tenant list).
import { redirect } from "next/navigation";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { tenantsOf } from "@/lib/tenancy/tenants.ts";
import { PageTitle } from "@/app/_components/ui.tsx";

export default async function Home() {
  const principal = await requirePrincipal();
  const tenants = await tenantsOf(principal);
  if (tenants.length > 0) redirect(`/t/${tenants[0].slug}/domains`);
  if (principal.isPlatformAdmin) redirect("/admin");
  return (
    <>
      <PageTitle>Welcome</PageTitle>
      <p className="text-slate-600 dark:text-slate-300">You are not a member of any tenant yet. Ask an owner or admin of your team for an invitation link.</p>
    </>
  );
}
