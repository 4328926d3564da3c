"use client";
import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import { signOut } from "next-auth/react";

/**
 * Switches between the tenants the user belongs to (a menu of links when there are several:
 * links, not a select, because a select acts on every arrow key in some browsers).
 */
export function TenantSwitcher({ tenants }: { tenants: { slug: string; name: string }[] }) {
  const params = useParams<{ tenant?: string }>();
  const pathname = usePathname();
  if (tenants.length === 0) return null;
  const current = tenants.find((t) => t.slug === params.tenant);
  if (tenants.length === 1) return <span className="text-sm text-slate-600 dark:text-slate-300">{tenants[0].name}</span>;
  return (
    // Keyed on the path: the menu closes after navigating.
    <details key={pathname} className="relative text-sm">
      <summary className="cursor-pointer rounded-md border border-slate-300 px-2 py-1 dark:border-slate-600" aria-label="Switch tenant">
        {current?.name ?? "Choose a tenant"} <span aria-hidden="true">▾</span>
      </summary>
      <ul className="absolute z-10 mt-1 min-w-48 rounded-md border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900">
        {tenants.map((t) => (
          <li key={t.slug}>
            <Link
              href={`/t/${t.slug}/domains`}
              aria-current={t.slug === current?.slug ? "true" : undefined}
              className="block px-3 py-1.5 hover:bg-slate-100 aria-[current]:font-semibold dark:hover:bg-slate-800"
            >
              {t.name}
            </Link>
          </li>
        ))}
      </ul>
    </details>
  );
}

export function SignOutButton() {
  return (
    <button type="button" onClick={() => signOut({ callbackUrl: "/login" })} className="rounded px-2 py-1 text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800">
      Sign out
    </button>
  );
}
