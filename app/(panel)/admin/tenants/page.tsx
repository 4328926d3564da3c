// Platform administration: every tenant (searched, sorted and paged in SQL), and creating one
// with an owner invitation. Each tenant's own page (./[slug]) renames, suspends, deletes.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { listTenants } from "@/lib/tenancy/tenants.ts";
import { defaultTenantSortDir, TENANTS_PAGE_SIZE, type TenantListQuery, type TenantSort } from "@/lib/tenancy/schemas.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Button, Card, PageTitle, Table, cx } from "@/app/_components/ui.tsx";
import { RelativeTime } from "@/app/_components/relative-time.tsx";
import { CreateTenantForm } from "./admin-controls.tsx";
import { TenantStatusBadge } from "./tenant-status.tsx";

export const metadata = { title: "Tenants · Platform admin · DNS panel" };

type SearchParams = Record<string, string | string[] | undefined>;

/** The list's URL with some of its state changed (defaults left out, so URLs stay short). */
function listHref(query: TenantListQuery, changes: Partial<TenantListQuery>): string {
  const next = { ...query, ...changes };
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.sort !== "name") params.set("sort", next.sort);
  if (next.dir !== defaultTenantSortDir(next.sort)) params.set("dir", next.dir);
  if (next.page > 1) params.set("page", String(next.page));
  if (next.perPage !== TENANTS_PAGE_SIZE) params.set("perPage", String(next.perPage));
  const text = params.toString();
  return text ? `/admin/tenants?${text}` : "/admin/tenants";
}

function SortHeader({ query, sort, children, className }: { query: TenantListQuery; sort: TenantSort; children: React.ReactNode; className?: string }) {
  const active = query.sort === sort;
  const dir = active ? (query.dir === "asc" ? "desc" : "asc") : defaultTenantSortDir(sort);
  return (
    <th scope="col" className={cx("px-3 py-2", className)} aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={listHref(query, { sort, dir, page: 1 })} className="hover:underline">
        {children}
        {active ? (query.dir === "asc" ? " ▲" : " ▼") : ""}
      </Link>
    </th>
  );
}

function Owners({ owners, invited }: { owners: string[]; invited: string[] }) {
  if (owners.length === 0 && invited.length === 0) return <span className="text-slate-400">none</span>;
  const shown = owners.slice(0, 2);
  return (
    <span className="break-all">
      {shown.join(", ")}
      {owners.length > shown.length && <span className="text-slate-500"> +{owners.length - shown.length} more</span>}
      {owners.length === 0 && <span className="text-slate-500">invited: {invited.slice(0, 2).join(", ")}</span>}
    </span>
  );
}

export default async function TenantsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePrincipal();
  const { rows, total, pages, query } = await orNotFound(listTenants(principal, await searchParams));
  const first = total === 0 ? 0 : (query.page - 1) * query.perPage + 1;
  const last = Math.min(query.page * query.perPage, total);
  return (
    <>
      <PageTitle sub="Open a tenant to see its members, domains, usage and history, rename it, suspend it or lift a suspension.">Tenants</PageTitle>
      <form method="get" action="/admin/tenants" role="search" className="mb-3 flex flex-wrap items-end gap-2">
        <div className="min-w-64 flex-1">
          <label htmlFor="tenant-search" className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-200">
            Search tenants
          </label>
          <input
            id="tenant-search"
            name="q"
            type="search"
            defaultValue={query.q}
            placeholder="name, short name or owner's email"
            className="block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 placeholder:text-slate-400 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
          />
        </div>
        {query.sort !== "name" && <input type="hidden" name="sort" value={query.sort} />}
        {query.dir !== defaultTenantSortDir(query.sort) && <input type="hidden" name="dir" value={query.dir} />}
        {query.perPage !== TENANTS_PAGE_SIZE && <input type="hidden" name="perPage" value={query.perPage} />}
        <Button type="submit" variant="secondary">
          Search
        </Button>
        {query.q && (
          <Link href={listHref(query, { q: "", page: 1 })} className="py-1.5 text-sm text-blue-700 hover:underline dark:text-blue-300">
            Clear
          </Link>
        )}
      </form>
      <Table
        label="Tenants"
        head={
          <>
            <SortHeader query={query} sort="name">Tenant</SortHeader>
            <SortHeader query={query} sort="slug">Short name</SortHeader>
            <th scope="col" className="px-3 py-2">Owners</th>
            <SortHeader query={query} sort="domains" className="text-right">Domains</SortHeader>
            <SortHeader query={query} sort="records" className="text-right">Records</SortHeader>
            <SortHeader query={query} sort="created">Created</SortHeader>
            <SortHeader query={query} sort="activity">Last activity</SortHeader>
            <SortHeader query={query} sort="status">Status</SortHeader>
          </>
        }
      >
        {rows.map((t) => (
          <tr key={t.id}>
            <td className="px-3 py-2">
              <Link href={`/admin/tenants/${t.slug}`} className="font-medium text-blue-700 hover:underline dark:text-blue-300">
                {t.name}
              </Link>
            </td>
            <td className="px-3 py-2 font-mono text-xs">{t.slug}</td>
            <td className="px-3 py-2 text-xs">
              <Owners owners={t.owners} invited={t.invitedOwners} />
            </td>
            <td className="px-3 py-2 text-right tabular-nums">{t.domains}</td>
            <td className="px-3 py-2 text-right tabular-nums">{t.records}</td>
            <td className="px-3 py-2 whitespace-nowrap">{t.createdAt.toISOString().slice(0, 10)}</td>
            <td className="px-3 py-2 whitespace-nowrap">{t.lastActivityAt ? <RelativeTime date={t.lastActivityAt.toISOString()} /> : <span className="text-slate-400">never</span>}</td>
            <td className="px-3 py-2">
              <TenantStatusBadge status={t.status} kind={t.suspensionKind} reason={t.suspensionReason} />
            </td>
          </tr>
        ))}
        {rows.length === 0 && (
          <tr>
            <td colSpan={8} className="px-3 py-6 text-center text-slate-500">
              {query.q ? `No tenant matches “${query.q}”.` : "No tenants yet."}
            </td>
          </tr>
        )}
      </Table>
      <nav aria-label="Pages" className="mt-2 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600 dark:text-slate-400">
        <span data-testid="tenants-count">
          {first}–{last} of {total} tenant{total === 1 ? "" : "s"}
        </span>
        <span className="flex items-center gap-2">
          {query.page > 1 && (
            <Link href={listHref(query, { page: query.page - 1 })} className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600">
              Previous
            </Link>
          )}
          <span>
            Page {query.page} of {pages}
          </span>
          {query.page < pages && (
            <Link href={listHref(query, { page: query.page + 1 })} className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600">
              Next
            </Link>
          )}
        </span>
      </nav>
      <Card title="Create a tenant" className="mt-6 max-w-xl">
        <CreateTenantForm />
      </Card>
    </>
  );
}
