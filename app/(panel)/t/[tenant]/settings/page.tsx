// The tenant's settings: its usage against its quotas (every member), and its audit log
// (owners and admins). Each section asks lib/ itself, with the permission it needs.
import { requirePrincipal } from "@/lib/auth/session.ts";
import { requireTenantPermission } from "@/lib/permissions.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { PageTitle } from "@/app/_components/ui.tsx";
import { UsageSection } from "./usage-section.tsx";
import { AuditSection } from "./audit-section.tsx";

export const metadata = { title: "Settings · DNS panel" };

export default async function TenantSettingsPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { tenant: slug } = await params;
  const principal = await requirePrincipal();
  const { grant } = await orNotFound(requireTenantPermission(principal, slug, "zone:read"));
  return (
    <>
      <PageTitle>Settings</PageTitle>
      <UsageSection principal={principal} slug={slug} />
      <AuditSection principal={principal} slug={slug} grant={grant} searchParams={await searchParams} />
    </>
  );
}
