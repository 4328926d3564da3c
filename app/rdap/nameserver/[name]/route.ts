// GET: the RDAP nameserver object of a host in our registry, or of our own nameservers (RFC 9082 §3.1.4). Public.
import { rdapNameserverResponse } from "@/app/_handlers/rdap.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return rdapNameserverResponse(request, await params);
}
