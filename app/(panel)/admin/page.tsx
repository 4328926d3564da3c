// Platform administration: every tenant, creating one (with an owner invitation), suspending.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { listTenants } from "@/lib/tenancy/tenants.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Badge, Card, PageTitle } from "@/app/_components/ui.tsx";
import { CreateTenantForm, TenantStatusButton } from "./admin-controls.tsx";

export const metadata = { title: "Platform admin · DNS panel" };

export default async function AdminPage() {
  const principal = await requirePrincipal();
  const tenants = await orNotFound(listTenants(principal));
  return (
    <>
      <PageTitle sub="Suspending a tenant stops serving its zones (their records are kept) and disables its changes.">Tenants</PageTitle>
      <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
        <table className="w-full text-left text-sm" aria-label="Tenants">
          <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-3 py-2">Tenant</th>
              <th scope="col" className="px-3 py-2">Status</th>
              <th scope="col" className="px-3 py-2 text-right">Members</th>
              <th scope="col" className="px-3 py-2 text-right">Domains</th>
              <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
            {tenants.map((t) => (
              <tr key={t.id}>
                <td className="px-3 py-2">
                  <Link href={`/t/${t.slug}/domains`} className="font-medium text-blue-700 hover:underline dark:text-blue-300">
                    {t.name}
                  </Link>{" "}
                  <span className="text-xs text-slate-500">{t.slug}</span>
                </td>
                <td className="px-3 py-2">{t.status === "active" ? <Badge tone="success">active</Badge> : <Badge tone="warning">suspended</Badge>}</td>
                <td className="px-3 py-2 text-right tabular-nums">{t.members}</td>
                <td className="px-3 py-2 text-right tabular-nums">{t.domains}</td>
                <td className="px-3 py-2 text-right">
                  <TenantStatusButton slug={t.slug} status={t.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Card title="Create a tenant" className="mt-6 max-w-xl">
        <CreateTenantForm />
      </Card>
    </>
  );
}
