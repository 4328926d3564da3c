"use client";
import { useParams, useRouter } from "next/navigation";
import { signOut } from "next-auth/react";

/** Switches between the tenants the user belongs to (shown when there is more than one). */
export function TenantSwitcher({ tenants }: { tenants: { slug: string; name: string }[] }) {
  const params = useParams<{ tenant?: string }>();
  const router = useRouter();
  if (tenants.length === 0) return null;
  const current = tenants.find((t) => t.slug === params.tenant);
  if (tenants.length === 1) return <span className="text-sm text-slate-600 dark:text-slate-300">{tenants[0].name}</span>;
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only sm:not-sr-only text-slate-600 dark:text-slate-300">Tenant</span>
      <select
        aria-label="Switch tenant"
        value={current?.slug ?? ""}
        onChange={(e) => e.target.value && router.push(`/t/${e.target.value}/domains`)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
      >
        {!current && <option value="">Choose a tenant…</option>}
        {tenants.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SignOutButton() {
  return (
    <button type="button" onClick={() => signOut({ callbackUrl: "/login" })} className="rounded px-2 py-1 text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800">
      Sign out
    </button>
  );
}
