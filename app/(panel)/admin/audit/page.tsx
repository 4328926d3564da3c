// The platform's audit log: every entry, filtered by tenant, actor, action and time (GET
// search params), newest first, paged in SQL, and downloadable as CSV with the same filter.
import { requirePrincipal } from "@/lib/auth/session.ts";
import { platformAuditLog } from "@/lib/audit/queries.ts";
import { PageTitle } from "@/app/_components/ui.tsx";
import { AuditLogView } from "@/app/_components/audit-table.tsx";

export const metadata = { title: "Audit log · Platform admin · DNS panel" };

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requirePrincipal();
  const params = await searchParams;
  return (
    <>
      <PageTitle sub="Every security-relevant action on the platform, newest first. Entries are never changed or removed.">Audit log</PageTitle>
      <AuditLogView load={() => platformAuditLog(principal, params)} path="/admin/audit" values={params} csvPath="/api/admin/audit/csv" />
    </>
  );
}
