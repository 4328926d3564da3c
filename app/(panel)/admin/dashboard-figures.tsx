// The platform in numbers, as cards: each a term and its figure (a description list, so a screen
// reader reads "Tenants: 12"), with what qualifies it underneath.
import Link from "next/link";
import type { PlatformFigures } from "@/lib/metrics/platform-figures.ts";
import { formatCount, formatRate } from "@/app/_components/charts/format.ts";

function Figure({ term, value, detail, href }: { term: string; value: string; detail?: string; href?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900" data-testid="platform-figure">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {href ? (
          <Link href={href} className="hover:underline">
            {term}
          </Link>
        ) : (
          term
        )}
      </dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
      {detail && <dd className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{detail}</dd>}
    </div>
  );
}

export function DashboardFigures({ figures: f, queries }: { figures: PlatformFigures; queries: { label: string; total: number; peakQps: number } }) {
  const suspended = f.suspendedTenants
    ? `${formatCount(f.suspendedTenants)} suspended${f.abuseSuspendedTenants ? ` (${formatCount(f.abuseSuspendedTenants)} for abuse)` : ""}`
    : "none suspended";
  const users = [f.disabledUsers ? `${formatCount(f.disabledUsers)} disabled` : "", `${formatCount(f.platformAdmins)} platform admin${f.platformAdmins === 1 ? "" : "s"}`]
    .filter(Boolean)
    .join(" · ");
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="Platform figures">
      <Figure term="Tenants" value={formatCount(f.tenants)} detail={suspended} href="/admin/tenants" />
      <Figure term="Users" value={formatCount(f.users)} detail={users} href="/admin/users" />
      <Figure term="Domains" value={formatCount(f.domains)} />
      <Figure term="Zones" value={formatCount(f.zones)} detail={f.platformZones ? `${formatCount(f.platformZones)} of them the registry's` : undefined} />
      <Figure term="Records" value={formatCount(f.records)} detail="SOA records not counted" />
      <Figure term="Changes today" value={formatCount(f.changesToday)} detail="since 00:00 UTC" />
      <Figure term={`Queries · ${queries.label.toLowerCase()}`} value={formatCount(queries.total)} detail={`peak ${formatRate(queries.peakQps)} per second`} />
    </dl>
  );
}
