// What the audit log's CSV routes answer, given who asks: the checked export from lib (which
// records it), streamed as CSV; lib errors as HTTP (a bad filter 422, another tenant's log 404).
import { platformAuditExport, tenantAuditExport, type AuditExport } from "@/lib/audit/queries.ts";
import { auditCsvHeaders, auditCsvStream } from "@/lib/audit/csv.ts";
import type { Principal } from "@/lib/permissions.ts";
import { errorResponse, unauthenticated } from "@/app/_lib/route-errors.ts";

const filterOf = (searchParams: URLSearchParams) => Object.fromEntries(searchParams);

async function csvResponse(work: () => Promise<AuditExport>): Promise<Response> {
  try {
    const found = await work();
    return new Response(auditCsvStream(found.batches), { headers: auditCsvHeaders(found.subject) });
  } catch (e) {
    return errorResponse(e);
  }
}

export async function platformAuditCsvResponse(principal: Principal | null, searchParams: URLSearchParams): Promise<Response> {
  if (!principal) return unauthenticated();
  return csvResponse(() => platformAuditExport(principal, filterOf(searchParams)));
}

export async function tenantAuditCsvResponse(principal: Principal | null, tenant: string, searchParams: URLSearchParams): Promise<Response> {
  if (!principal) return unauthenticated();
  return csvResponse(() => tenantAuditExport(principal, tenant, filterOf(searchParams)));
}
