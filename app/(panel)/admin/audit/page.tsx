// The platform's audit log: every entry, filtered by tenant, actor, action and time (GET
// search params), newest first, paged in SQL, and downloadable as CSV with the same filter.
import { requirePrincipal } from "@/lib/auth/session.ts";
import { platformAuditLog, type AuditLogPage } from "@/lib/audit/queries.ts";
import { ValidationError } from "@/lib/errors.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { PageTitle } from "@/app/_components/ui.tsx";
import { AuditFilterForm, AuditPager, AuditTable, auditHref } from "@/app/_components/audit-table.tsx";

export const metadata = { title: "Audit log · Platform admin · DNS panel" };

const PATH = "/admin/audit";

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requirePrincipal();
  const params = await searchParams;
  let page: AuditLogPage | null = null;
  let invalid: ValidationError | null = null;
  try {
    page = await orNotFound(platformAuditLog(principal, params));
  } catch (e) {
    // A filter that does not parse (a hand-edited URL): the form says what is wrong.
    if (!(e instanceof ValidationError)) throw e;
    invalid = e;
  }
  return (
    <>
      <PageTitle sub="Every security-relevant action on the platform, newest first. Entries are never changed or removed.">Audit log</PageTitle>
      <AuditFilterForm action={PATH} values={params} issues={invalid?.issues} csvHref={page ? auditHref("/api/admin/audit/csv", page.filter) : undefined} />
      {page && (
        <>
          <AuditTable entries={page.entries} />
          <AuditPager path={PATH} filter={page.filter} newer={page.newer} older={page.older} />
        </>
      )}
    </>
  );
}
