// A tenant's pages: its name, the tabs, and a banner when it is suspended (on every page: its
// kind, reason, what still works and whom to contact). Membership is checked here for the frame
// and again by every page and action (through lib/permissions), which also hide edit controls
// from a suspended tenant's members (grantAllows).
import { requirePrincipal } from "@/lib/auth/session.ts";
import { requireTenantPermission } from "@/lib/permissions.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { SuspensionBanner } from "@/app/_components/suspension-banner.tsx";
import { TenantTabs } from "./tenant-tabs.tsx";

export default async function TenantLayout({ children, params }: { children: React.ReactNode; params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const principal = await requirePrincipal();
  const { tenant, grant } = await orNotFound(requireTenantPermission(principal, slug, "zone:read"));
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-2 border-b border-slate-200 dark:border-slate-800">
        <div className="pb-2">
          <p className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">Tenant</p>
          <p className="font-semibold">
            {tenant.name} <span className="text-sm font-normal text-slate-500 dark:text-slate-400">({grant.role === "platform" ? "platform admin" : grant.role})</span>
          </p>
        </div>
        <TenantTabs slug={tenant.slug} />
      </div>
      {tenant.status === "suspended" && <SuspensionBanner tenant={tenant} className="mb-4" />}
      {children}
    </div>
  );
}
