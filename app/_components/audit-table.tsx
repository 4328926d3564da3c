// The audit log's UI pieces, shared by /admin/audit, a tenant's settings and /admin's tenant
// page: the table of entries, the filter form (a plain GET form: the filter lives in the URL,
// so a filtered view can be bookmarked, paged and downloaded) and the page links.
import Link from "next/link";
import type { AuditFilter, AuditLogEntry, AuditLogPage } from "@/lib/audit/queries.ts";
import { ValidationError, type FieldIssue } from "@/lib/errors.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { RelativeTime } from "@/app/_components/relative-time.tsx";
import { Button, Table, TextField, Th } from "@/app/_components/ui.tsx";

const DETAILS_SHOWN = 140;

function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

/** "kind: abuse, reason: spam" from an entry's details; "" when there are none. */
export function summariseDetails(details: unknown): string {
  if (details === null || details === undefined) return "";
  if (typeof details !== "object" || Array.isArray(details)) return valueText(details);
  return Object.entries(details as Record<string, unknown>)
    .map(([key, value]) => `${key}: ${valueText(value)}`)
    .join(", ");
}

function Details({ details }: { details: unknown }) {
  const summary = summariseDetails(details);
  if (summary.length <= DETAILS_SHOWN) return <span className="break-words">{summary}</span>;
  return (
    <details>
      <summary className="cursor-pointer break-words">{summary.slice(0, DETAILS_SHOWN)}…</summary>
      <pre className="mt-1 max-w-md overflow-x-auto text-xs whitespace-pre-wrap">{JSON.stringify(details, null, 2)}</pre>
    </details>
  );
}

/** Audit entries, newest first as given. `showTenant`: off where every entry is one tenant's. */
export function AuditTable({ entries, showTenant = true, label = "Audit log" }: { entries: AuditLogEntry[]; showTenant?: boolean; label?: string }) {
  return (
    <Table
      label={label}
      head={
        <>
          <Th>Time</Th>
          <Th>Actor</Th>
          {showTenant && <Th>Tenant</Th>}
          <Th>Action</Th>
          <Th>Target</Th>
          <Th>Client address</Th>
          <Th>Details</Th>
        </>
      }
    >
      {entries.length === 0 && (
        <tr>
          <td colSpan={showTenant ? 7 : 6} className="px-3 py-4 text-center text-slate-500 dark:text-slate-400">
            No entries.
          </td>
        </tr>
      )}
      {entries.map((e) => (
        <tr key={e.id} data-testid="audit-entry" className="align-top">
          <td className="px-3 py-2 whitespace-nowrap">
            <RelativeTime date={e.at.toISOString()} absolute />
          </td>
          <td className="px-3 py-2 break-all">{e.actor}</td>
          {showTenant && <td className="px-3 py-2 break-all">{e.tenant ?? <span className="text-slate-400">platform</span>}</td>}
          <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">{e.action}</td>
          <td className="px-3 py-2 break-all">{e.target}</td>
          <td className="px-3 py-2 font-mono text-xs break-all">{e.clientAddress ?? ""}</td>
          <td className="px-3 py-2 text-xs text-slate-600 dark:text-slate-300">
            <Details details={e.details} />
          </td>
        </tr>
      ))}
    </Table>
  );
}

const FILTER_FIELDS = ["tenant", "actor", "action", "since", "until"] as const;

/** `path?filter&cursor` (empty fields left out). */
export function auditHref(path: string, filter: AuditFilter, cursor?: string | null, fragment = ""): string {
  const query = new URLSearchParams();
  for (const field of FILTER_FIELDS) if (filter[field]) query.set(field, filter[field]);
  if (cursor) query.set("cursor", cursor);
  const text = query.toString();
  return `${path}${text ? `?${text}` : ""}${fragment}`;
}

/**
 * The filter as a GET form to `action`. `values`: what the URL said (also when it did not
 * parse, so the user sees and corrects it); `issues`: the filter's ValidationError, if any.
 */
export function AuditFilterForm({
  action,
  values,
  issues = [],
  showTenant = true,
  csvHref,
}: {
  action: string;
  values: Record<string, string | string[] | undefined>;
  issues?: FieldIssue[];
  showTenant?: boolean;
  csvHref?: string;
}) {
  const value = (field: string) => {
    const v = values[field];
    return (Array.isArray(v) ? v[0] : v) ?? "";
  };
  const error = (field: string) => issues.find((i) => i.path[0] === field)?.message;
  const dateHint = "a date or date and time, UTC";
  return (
    <form method="get" action={action} role="search" aria-label="Filter the audit log" className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
      {showTenant && <TextField id="tenant" label="Tenant" placeholder="slug" defaultValue={value("tenant")} error={error("tenant")} />}
      <TextField id="actor" label="Actor" placeholder="email or part of it" defaultValue={value("actor")} error={error("actor")} />
      <TextField id="action" label="Action" placeholder="tenant.suspend or tenant." defaultValue={value("action")} error={error("action")} />
      <TextField id="since" label="From" placeholder="2026-01-31" hint={dateHint} defaultValue={value("since")} error={error("since")} />
      <TextField id="until" label="To" placeholder="2026-01-31" hint={dateHint} defaultValue={value("until")} error={error("until")} />
      <div className="flex flex-wrap items-center gap-2 lg:pb-5">
        <Button type="submit">Filter</Button>
        <Link href={action.split("#")[0]} className="rounded px-2 py-1.5 text-sm text-blue-700 hover:underline dark:text-blue-300">
          Clear
        </Link>
        {csvHref && (
          <a href={csvHref} download className="rounded px-2 py-1.5 text-sm text-blue-700 hover:underline dark:text-blue-300">
            Download CSV
          </a>
        )}
      </div>
    </form>
  );
}

/** Links to the newer and older pages of a filtered view (keyset cursors from lib/audit/queries.ts). */
export function AuditPager({ path, filter, newer, older, fragment = "" }: { path: string; filter: AuditFilter; newer: string | null; older: string | null; fragment?: string }) {
  if (!newer && !older && !filter.cursor) return null;
  const link = "rounded border border-slate-300 px-2 py-1 hover:bg-slate-50 dark:border-slate-600 dark:hover:bg-slate-800";
  return (
    <nav aria-label="Audit log pages" className="mt-4 flex flex-wrap items-center gap-2 text-sm">
      {filter.cursor && (
        <Link href={auditHref(path, filter, null, fragment)} className={link}>
          Newest
        </Link>
      )}
      {newer && (
        <Link href={auditHref(path, filter, newer, fragment)} className={link}>
          Newer
        </Link>
      )}
      {older && (
        <Link href={auditHref(path, filter, older, fragment)} className={link}>
          Older
        </Link>
      )}
    </nav>
  );
}

/**
 * A filtered, paged view of the log: the filter form, the entries and the page links, as
 * /admin/audit, a tenant's settings and /admin's tenant page show it. `load` asks lib/audit
 * (which checks who may read what); a filter that does not parse (a hand-edited URL) is shown
 * in the form rather than failing the page.
 */
export async function AuditLogView({
  load,
  path,
  values,
  csvPath,
  showTenant = true,
  label,
  fragment = "",
}: {
  load: () => Promise<AuditLogPage>;
  path: string;
  values: Record<string, string | string[] | undefined>;
  /** The CSV route the same filter downloads from. */
  csvPath: string;
  showTenant?: boolean;
  label?: string;
  fragment?: string;
}) {
  let page: AuditLogPage | null = null;
  let invalid: ValidationError | null = null;
  try {
    page = await orNotFound(load());
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    invalid = e;
  }
  return (
    <>
      <AuditFilterForm action={`${path}${fragment}`} values={values} issues={invalid?.issues} showTenant={showTenant} csvHref={page ? auditHref(csvPath, page.filter) : undefined} />
      {page && (
        <>
          <AuditTable entries={page.entries} showTenant={showTenant} label={label} />
          <AuditPager path={path} filter={page.filter} newer={page.newer} older={page.older} fragment={fragment} />
        </>
      )}
    </>
  );
}
