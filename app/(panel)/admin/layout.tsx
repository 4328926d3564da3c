// Platform administration (/admin): for platform admins only; everyone else finds nothing here.
// Each page and action checks again through lib/permissions (this frame is not the check).
import { requirePrincipal } from "@/lib/auth/session.ts";
import { requirePlatformAdmin } from "@/lib/permissions.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { AdminTabs } from "./admin-tabs.tsx";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const principal = await requirePrincipal();
  await orNotFound(Promise.resolve().then(() => requirePlatformAdmin(principal)));
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-2 border-b border-slate-200 dark:border-slate-800">
        <p className="pb-2 font-semibold">Platform admin</p>
        <AdminTabs />
      </div>
      {children}
    </div>
  );
}
