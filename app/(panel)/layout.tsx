// Every signed-in page: the header (tenant switcher, account, sign out) around the content.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { tenantsOf } from "@/lib/tenancy/tenants.ts";
import { SignOutButton, TenantSwitcher } from "./header-controls.tsx";

export default async function PanelLayout({ children }: { children: React.ReactNode }) {
  const principal = await requirePrincipal();
  const tenants = await tenantsOf(principal);
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2">
          <Link href="/" className="font-semibold">
            DNS panel
          </Link>
          <TenantSwitcher tenants={tenants.map((t) => ({ slug: t.slug, name: t.name }))} />
          <div className="ml-auto flex flex-wrap items-center gap-3 text-sm">
            {principal.isPlatformAdmin && (
              <Link href="/admin" className="text-blue-700 hover:underline dark:text-blue-300">
                Platform admin
              </Link>
            )}
            <Link href="/account" className="text-slate-700 hover:underline dark:text-slate-300" title="Your account">
              {principal.email}
            </Link>
            <SignOutButton />
          </div>
        </nav>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
