// The tenant's usage against its quotas. Being built (issue 8).
import type { Principal } from "@/lib/permissions.ts";

export async function UsageSection(_props: { principal: Principal; slug: string }) {
  return null;
}
