// GET: the RDAP domain object of a registration in our registry (RFC 9082 §3.1.3). Public.
import { rdapDomainResponse } from "@/app/_handlers/rdap.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return rdapDomainResponse(request, await params);
}
