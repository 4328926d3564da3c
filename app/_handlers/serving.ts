// What GET /api/t/<tenant>/domains/<domain>/serving answers, given who asks.
import type { Principal } from "@/lib/permissions.ts";
import { servingStatus } from "@/lib/zone/serving-status.ts";
import { errorResponse, unauthenticated } from "@/app/_lib/route-errors.ts";

export async function servingStatusResponse(principal: Principal | null, params: { tenant: string; domain: string }): Promise<Response> {
  if (!principal) return unauthenticated();
  try {
    return Response.json(await servingStatus(principal, params), { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
