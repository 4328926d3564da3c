// GET: the panel's health for load balancers and monitoring (lib/health.ts): 200 with
// "status": "ok" or "degraded" (nameservers missing or lagging), 503 when the database is down.
// Public, like any load balancer's probe: it says nothing about tenants or their zones.
import { healthResponse } from "@/lib/health.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET() {
  return healthResponse();
}
