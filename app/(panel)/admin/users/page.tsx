// Platform administration: every user, searched, filtered, sorted and paged in SQL
// (lib/users/users.ts). Open a user to disable or enable them, send a password reset link, or
// grant or revoke platform admin.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { listUsers } from "@/lib/users/users.ts";
import type { UserSortField, UsersQuery } from "@/lib/users/schemas.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { RelativeTime } from "@/app/_components/relative-time.tsx";
import { Badge, Button, PageTitle, SelectField, Table, Th, TextField } from "@/app/_components/ui.tsx";
import { UserStatusBadge } from "./status-badge.tsx";

export const metadata = { title: "Users · Platform admin · DNS panel" };

/** The page's URL for the query with `change` applied (defaults left out). */
function usersHref(query: UsersQuery, change: Partial<UsersQuery>): string {
  const q = { ...query, ...change };
  const params = new URLSearchParams();
  if (q.q) params.set("q", q.q);
  if (q.status) params.set("status", q.status);
  if (q.admin) params.set("admin", q.admin);
  if (q.sort !== "email") params.set("sort", q.sort);
  if (q.dir !== "asc") params.set("dir", q.dir);
  if (q.page > 1) params.set("page", String(q.page));
  const search = params.toString();
  return search ? `/admin/users?${search}` : "/admin/users";
}

function SortHeader({ query, field, children }: { query: UsersQuery; field: UserSortField; children: React.ReactNode }) {
  const current = query.sort === field;
  const next = current && query.dir === "asc" ? "desc" : "asc";
  return (
    <Th aria-sort={current ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={usersHref(query, { sort: field, dir: next, page: 1 })} className="hover:underline">
        {children}
        {current && <span aria-hidden="true">{query.dir === "asc" ? " ▲" : " ▼"}</span>}
      </Link>
    </Th>
  );
}

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requirePrincipal();
  const { query, rows, total, pages } = await orNotFound(listUsers(principal, await searchParams));
  const filtered = !!(query.q || query.status || query.admin);
  return (
    <>
      <PageTitle sub="Disabling a user ends every session at once. The last platform admin can be neither disabled nor revoked.">Users</PageTitle>
      <form method="get" action="/admin/users" role="search" aria-label="Search users" className="mb-4 flex flex-wrap items-end gap-3">
        <TextField id="users-q" name="q" label="Search" type="search" placeholder="email or name" defaultValue={query.q} className="min-w-64 flex-1" />
        <SelectField id="users-status" name="status" label="Status" defaultValue={query.status} className="w-52">
          <option value="">any</option>
          <option value="active">active</option>
          <option value="disabled">disabled</option>
          <option value="invited">invited, no password yet</option>
        </SelectField>
        <SelectField id="users-admin" name="admin" label="Platform admin" defaultValue={query.admin} className="w-40">
          <option value="">any</option>
          <option value="yes">yes</option>
          <option value="no">no</option>
        </SelectField>
        {query.sort !== "email" && <input type="hidden" name="sort" value={query.sort} />}
        {query.dir !== "asc" && <input type="hidden" name="dir" value={query.dir} />}
        <Button type="submit">Search</Button>
        {filtered && (
          <Link href={usersHref(query, { q: "", status: "", admin: "", page: 1 })} className="py-1.5 text-sm text-blue-700 hover:underline dark:text-blue-300">
            Clear
          </Link>
        )}
      </form>
      <p className="mb-2 text-sm text-slate-600 dark:text-slate-400" data-testid="users-count">
        {total} user{total === 1 ? "" : "s"}
        {filtered ? " found" : ""}
      </p>
      <Table
        label="Users"
        head={
          <>
            <SortHeader query={query} field="email">User</SortHeader>
            <Th>Tenants and roles</Th>
            <Th>Platform admin</Th>
            <SortHeader query={query} field="lastSignIn">Last sign-in</SortHeader>
            <Th>Status</Th>
            <SortHeader query={query} field="created">Created</SortHeader>
          </>
        }
      >
        {rows.length === 0 && (
          <tr>
            <td colSpan={6} className="px-3 py-6 text-center text-slate-500">
              No users match.
            </td>
          </tr>
        )}
        {rows.map((u) => (
          <tr key={u.id} data-testid="user-row">
            <td className="px-3 py-2">
              <Link href={`/admin/users/${u.id}`} className="font-medium text-blue-700 hover:underline dark:text-blue-300">
                {u.email}
              </Link>
              {u.id === principal.userId && <span className="ml-1 text-xs text-slate-500">(you)</span>}
              {u.name && <div className="text-xs text-slate-500">{u.name}</div>}
            </td>
            <td className="px-3 py-2">
              {u.tenants.length === 0 ? (
                <span className="text-slate-500">none</span>
              ) : (
                <ul>
                  {u.tenants.map((t) => (
                    <li key={t.slug}>
                      <Link href={`/t/${t.slug}/members`} className="hover:underline">
                        {t.name}
                      </Link>{" "}
                      <span className="text-xs text-slate-500">{t.role}</span>
                    </li>
                  ))}
                </ul>
              )}
            </td>
            <td className="px-3 py-2">{u.isPlatformAdmin ? <Badge tone="info">platform admin</Badge> : <span className="text-slate-500">no</span>}</td>
            <td className="px-3 py-2 whitespace-nowrap">{u.lastSignInAt ? <RelativeTime date={new Date(u.lastSignInAt).toISOString()} /> : <span className="text-slate-500">never</span>}</td>
            <td className="px-3 py-2">
              <UserStatusBadge status={u.status} />
            </td>
            <td className="px-3 py-2 whitespace-nowrap">{new Date(u.createdAt).toISOString().slice(0, 10)}</td>
          </tr>
        ))}
      </Table>
      {pages > 1 && (
        <nav aria-label="Pagination" className="mt-3 flex items-center justify-between text-sm">
          {query.page > 1 ? (
            <Link href={usersHref(query, { page: query.page - 1 })} className="text-blue-700 hover:underline dark:text-blue-300">
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          <span>
            Page {query.page} of {pages}
          </span>
          {query.page < pages ? (
            <Link href={usersHref(query, { page: query.page + 1 })} className="text-blue-700 hover:underline dark:text-blue-300">
              Next →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </>
  );
}
