// GET: what this RDAP service answers (RFC 9082 §3.1.6). Public.
import { rdapHelpResponse } from "@/app/_handlers/rdap.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request) {
  return rdapHelpResponse(request);
}
