// A tenant's usage against its quotas (lib/tenancy/quotas.ts): the tenant's own settings page
// and /admin's tenant page. A server component; each row reads as a sentence, its header then
// its numbers ("Domains", "3 of 100"), with a meter beside them.
import type { TenantUsage } from "@/lib/tenancy/quotas.ts";
import { QUOTA_NAMES, type QuotaName } from "@/lib/tenancy/quota-schemas.ts";
import { Badge, Table, Th } from "./ui.tsx";

const n = (value: number) => value.toLocaleString("en-US");

/** From this share of a limit on, a row is marked as close to it. */
const NEAR = 0.9;

interface Row {
  name: QuotaName;
  used: number;
  limit: number | null;
  note?: string;
}

function rows(usage: TenantUsage): Row[] {
  return [
    { name: "domains", used: usage.domains.used, limit: usage.domains.limit },
    {
      name: "recordsPerZone",
      used: usage.recordsPerZone.used,
      limit: usage.recordsPerZone.limit,
      note: usage.recordsPerZone.largestZone ? `largest zone: ${usage.recordsPerZone.largestZone}` : "no zones yet",
    },
    { name: "changesPerMinute", used: usage.changesPerMinute.used, limit: usage.changesPerMinute.limit, note: "change sets in the last 60 seconds" },
  ];
}

function Status({ used, limit }: { used: number; limit: number | null }) {
  if (limit === null) return <Badge tone="neutral">unlimited</Badge>;
  if (used >= limit) return <Badge tone="warning">at the limit</Badge>;
  if (used >= limit * NEAR) return <Badge tone="warning">close to the limit</Badge>;
  return <Badge tone="success">within the limit</Badge>;
}

export function UsageTable({ usage }: { usage: TenantUsage }) {
  return (
    <Table
      label="Usage against quotas"
      head={
        <>
          <Th>Quota</Th>
          <Th>Used of limit</Th>
          <Th className="hidden sm:table-cell">Share</Th>
          <Th>Status</Th>
        </>
      }
    >
      {rows(usage).map((row) => {
        const label = QUOTA_NAMES[row.name];
        const amount = row.limit === null ? `${n(row.used)} (no limit)` : `${n(row.used)} of ${n(row.limit)}`;
        return (
          <tr key={row.name} data-testid={`usage-${row.name}`}>
            <th scope="row" className="px-3 py-2 font-medium text-slate-900 dark:text-slate-100">
              {label}
            </th>
            <td className="px-3 py-2 tabular-nums text-slate-700 dark:text-slate-200">
              {amount}
              {row.note && <div className="text-xs text-slate-500 dark:text-slate-400">{row.note}</div>}
            </td>
            <td className="hidden px-3 py-2 sm:table-cell">
              {row.limit !== null && (
                <meter
                  className="h-2 w-32"
                  min={0}
                  max={row.limit}
                  low={row.limit * NEAR}
                  high={row.limit * NEAR}
                  optimum={0}
                  value={Math.min(row.used, row.limit)}
                  aria-label={`${label} used`}
                  aria-valuetext={`${n(row.used)} of ${n(row.limit)}`}
                />
              )}
            </td>
            <td className="px-3 py-2">
              <Status used={row.used} limit={row.limit} />
            </td>
          </tr>
        );
      })}
    </Table>
  );
}
