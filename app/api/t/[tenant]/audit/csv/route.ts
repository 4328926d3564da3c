// GET /api/t/<tenant>/audit/csv?<filter>: the tenant's own audit log as CSV, streamed (owners,
// admins, platform admins).
import { currentPrincipal } from "@/lib/auth/session.ts";
import { tenantAuditCsvResponse } from "@/app/_handlers/audit.ts";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  return tenantAuditCsvResponse(await currentPrincipal(), (await params).tenant, new URL(request.url).searchParams);
}
