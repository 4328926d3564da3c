// The tenant's usage against its quotas, for every member (lib/tenancy/quotas.ts usageFor:
// zone:read). Who to ask for more: the platform's support (SUPPORT_CONTACT).
import type { Principal } from "@/lib/permissions.ts";
import { usageFor } from "@/lib/tenancy/quotas.ts";
import { supportContact } from "@/lib/tenancy/suspension.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Card } from "@/app/_components/ui.tsx";
import { UsageTable } from "@/app/_components/usage-table.tsx";

export async function UsageSection({ principal, slug }: { principal: Principal; slug: string }) {
  const usage = await orNotFound(usageFor(principal, slug));
  return (
    <Card title="Usage and quotas" className="mb-6">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        What this account uses against its limits. A change that would go over a limit is refused and changes nothing; to raise a limit, contact {supportContact()}.
      </p>
      <UsageTable usage={usage} />
    </Card>
  );
}
