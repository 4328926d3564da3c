// GET: which serial the zone is at, and whether every running nameserver serves it yet.
// The domain page polls this after a change to show "live on nameserver".
import { currentPrincipal } from "@/lib/auth/session.ts";
import { servingStatus } from "@/lib/zone/serving-status.ts";
import { errorResponse, unauthenticated } from "@/app/_lib/route-errors.ts";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string; domain: string }> }) {
  const principal = await currentPrincipal();
  if (!principal) return unauthenticated();
  try {
    const { tenant, domain } = await params;
    return Response.json(await servingStatus(principal, { tenant, domain }), { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
