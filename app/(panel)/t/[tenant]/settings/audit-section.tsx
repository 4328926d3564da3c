// The tenant's audit log, for owners and admins. Being built (issue 8).
import type { Grant, Principal } from "@/lib/permissions.ts";

export async function AuditSection(_props: { principal: Principal; slug: string; grant: Grant; searchParams: Record<string, string | string[] | undefined> }) {
  return null;
}
