// GET /api/admin/audit/csv?<filter>: the platform's audit log as CSV, streamed (platform admins).
import { currentPrincipal } from "@/lib/auth/session.ts";
import { platformAuditCsvResponse } from "@/app/_handlers/audit.ts";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return platformAuditCsvResponse(await currentPrincipal(), new URL(request.url).searchParams);
}
