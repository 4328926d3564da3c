// Platform administration: every tenant, creating one (with an owner invitation), suspending.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { listTenants } from "@/lib/tenancy/tenants.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Badge, Card, PageTitle, Table, Th } from "@/app/_components/ui.tsx";
import { CreateTenantForm, TenantStatusButton } from "./admin-controls.tsx";

export const metadata = { title: "Platform admin · DNS panel" };

export default async function AdminPage() {
  const principal = await requirePrincipal();
  const tenants = await orNotFound(listTenants(principal));
  return (
    <>
      <PageTitle sub="Suspending a tenant stops serving its zones (their records are kept) and disables its changes.">Tenants</PageTitle>
      <Table
        label="Tenants"
        head={
          <>
            <Th>Tenant</Th>
            <Th>Status</Th>
            <Th className="text-right">Members</Th>
            <Th className="text-right">Domains</Th>
            <Th><span className="sr-only">Actions</span></Th>
          </>
        }
      >
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
      </Table>
      <Card title="Create a tenant" className="mt-6 max-w-xl">
        <CreateTenantForm />
      </Card>
    </>
  );
}
