// GET: which serial the zone is at, and whether every running nameserver serves it yet.
// The domain page polls this after a change to show "live on nameserver".
import { currentPrincipal } from "@/lib/auth/session.ts";
import { servingStatusResponse } from "@/app/_handlers/serving.ts";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string; domain: string }> }) {
  return servingStatusResponse(await currentPrincipal(), await params);
}
