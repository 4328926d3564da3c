// The tenant's own audit log, for its owners and admins (and platform admins): the same
// filter, pages and CSV download as /admin/audit, limited to this tenant's entries.
import { tenantAuditLog } from "@/lib/audit/queries.ts";
import { ValidationError } from "@/lib/errors.ts";
import { grantAllows, type Grant, type Principal } from "@/lib/permissions.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Card } from "@/app/_components/ui.tsx";
import { AuditFilterForm, AuditPager, AuditTable, auditHref } from "@/app/_components/audit-table.tsx";

export async function AuditSection({ principal, slug, grant, searchParams }: { principal: Principal; slug: string; grant: Grant; searchParams: Record<string, string | string[] | undefined> }) {
  // Hiding the section is a courtesy; tenantAuditLog checks "audit:read" itself.
  if (!grantAllows(grant, "audit:read")) return null;
  const path = `/t/${slug}/settings`;
  let page: Awaited<ReturnType<typeof tenantAuditLog>> | null = null;
  let invalid: ValidationError | null = null;
  try {
    page = await orNotFound(tenantAuditLog(principal, slug, searchParams));
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    invalid = e;
  }
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
        <AuditFilterForm
          action={`${path}#audit`}
          values={searchParams}
          issues={invalid?.issues}
          showTenant={false}
          csvHref={page ? auditHref(`/api/t/${slug}/audit/csv`, page.filter) : undefined}
        />
        {page && (
          <>
            <AuditTable entries={page.entries} showTenant={false} label="Audit log of this tenant" />
            <AuditPager path={path} filter={page.filter} newer={page.newer} older={page.older} fragment="#audit" />
          </>
        )}
      </Card>
    </section>
  );
}
