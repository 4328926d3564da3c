// The tenant's own audit log, for its owners and admins (and platform admins): the same
// filter, pages and CSV download as /admin/audit, limited to this tenant's entries.
import { tenantAuditLog } from "@/lib/audit/queries.ts";
import { grantAllows, type Grant, type Principal } from "@/lib/permissions.ts";
import { Card } from "@/app/_components/ui.tsx";
import { AuditLogView } from "@/app/_components/audit-table.tsx";

export async function AuditSection({ principal, slug, grant, searchParams }: { principal: Principal; slug: string; grant: Grant; searchParams: Record<string, string | string[] | undefined> }) {
  // Hiding the section is a courtesy; tenantAuditLog checks "audit:read" itself.
  if (!grantAllows(grant, "audit:read")) return null;
  return (
    <section id="audit" aria-labelledby="audit-heading" className="mt-8">
      <h2 id="audit-heading" className="mb-1 text-lg font-semibold">
        Audit log
      </h2>
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        Who did what in this tenant: members and roles, invitations, domains and their changes, and what the platform&apos;s staff did here. Entries are never
        changed or removed.
      </p>
      <Card>
        <AuditLogView
          load={() => tenantAuditLog(principal, slug, searchParams)}
          path={`/t/${slug}/settings`}
          fragment="#audit"
          values={searchParams}
          csvPath={`/api/t/${slug}/audit/csv`}
          showTenant={false}
          label="Audit log of this tenant"
        />
      </Card>
    </section>
  );
}
