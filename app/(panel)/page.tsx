// Home: straight to the first tenant's domains (or the platform admin's dashboard). A member of
// a suspended tenant stays here instead, to read why (SuspensionBanner) before going on.
import Link from "next/link";
import { redirect } from "next/navigation";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { tenantsOf } from "@/lib/tenancy/tenants.ts";
import { PageTitle } from "@/app/_components/ui.tsx";
import { SuspensionBanner } from "@/app/_components/suspension-banner.tsx";

export default async function Home() {
  const principal = await requirePrincipal();
  const tenants = await tenantsOf(principal);
  const suspended = tenants.filter((t) => t.status === "suspended");
  if (tenants.length > 0 && suspended.length === 0) redirect(`/t/${tenants[0].slug}/domains`);
  if (tenants.length === 0 && principal.isPlatformAdmin) redirect("/admin");
  if (tenants.length === 0) {
    return (
      <>
        <PageTitle>Welcome</PageTitle>
        <p className="text-slate-600 dark:text-slate-300">You are not a member of any tenant yet. Ask an owner or admin of your team for an invitation link.</p>
      </>
    );
  }
  return (
    <>
      <PageTitle>Your tenants</PageTitle>
      <div className="space-y-3">
        {suspended.map((t) => (
          <SuspensionBanner key={t.slug} tenant={t} />
        ))}
      </div>
      <ul className="mt-4 space-y-1">
        {tenants.map((t) => (
          <li key={t.slug}>
            <Link href={`/t/${t.slug}/domains`} className="font-medium text-blue-700 hover:underline dark:text-blue-300">
              {t.name}
            </Link>{" "}
            <span className="text-sm text-slate-500 dark:text-slate-400">
              ({t.role}
              {t.status === "suspended" ? `, suspended for ${t.suspensionKind ?? "abuse"}` : ""})
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
