// A domain's traffic: the queries our nameservers answered for its zone over the chosen period,
// split by response code or query type, and its most asked names. From the nameservers'
// per-minute rollups, through lib/metrics/dashboard.ts (which checks "zone:read").
import { requirePrincipal } from "@/lib/auth/session.ts";
import { relativeName } from "@/lib/dns/names.ts";
import { domainTraffic } from "@/lib/metrics/dashboard.ts";
import { METRIC_RANGES, RANGE_SETTINGS } from "@/lib/metrics/ranges.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Card, Explainer, Table, Th } from "@/app/_components/ui.tsx";
import { RateChart } from "@/app/_components/charts/rate-chart.tsx";
import { ChoiceLinks } from "@/app/_components/charts/range-links.tsx";
import { formatCount } from "@/app/_components/charts/format.ts";

type Params = { tenant: string; domain: string };

const BREAKDOWNS = [
  { value: "rcode", label: "By response code" },
  { value: "qtype", label: "By query type" },
];

export default async function TrafficPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<{ range?: string | string[]; by?: string | string[] }> }) {
  const ref = await params;
  const { range, by } = await searchParams;
  const principal = await requirePrincipal();
  const t = await orNotFound(domainTraffic(principal, ref, range, by));
  const base = `/t/${t.tenant.slug}/domains/${t.domain.name}/traffic`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">Traffic</h2>
        <div className="flex flex-wrap gap-2">
          <ChoiceLinks label="Split" name="by" base={base} current={t.breakdown} params={{ range: t.range }} choices={BREAKDOWNS} />
          <ChoiceLinks
            label="Period"
            name="range"
            base={base}
            current={t.range}
            params={{ by: t.breakdown }}
            choices={METRIC_RANGES.map((value) => ({ value, label: RANGE_SETTINGS[value].label }))}
          />
        </div>
      </div>

      <Card>
        <RateChart title={`Queries per second · ${t.rangeLabel.toLowerCase()}`} series={t.queries} testId="domain-qps-chart" />
      </Card>

      <Card title="Most asked names">
        {t.topNames.length === 0 ? (
          <p role="status" className="text-sm text-slate-600 dark:text-slate-400" data-testid="top-names-empty">
            No queries in this period
          </p>
        ) : (
          <Table
            label={`Most asked names of ${t.domain.name}, ${t.rangeLabel.toLowerCase()}`}
            head={
              <>
                <Th>Name</Th>
                <Th className="text-right">Queries</Th>
                <Th className="text-right">Share</Th>
              </>
            }
          >
            {t.topNames.map((n) => (
              <tr key={n.name} data-testid="top-name">
                <td className="px-3 py-2 font-mono text-xs break-all" title={n.name}>
                  {relativeName(n.name, t.domain.name)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatCount(n.queries)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{(n.share * 100).toFixed(n.share < 0.1 ? 1 : 0)}%</td>
              </tr>
            ))}
          </Table>
        )}
      </Card>

      <Explainer summary="Where these numbers come from">
        <p>
          Every query our nameservers answer for {t.domain.name} is counted, and the counts are written once a minute; the minute in progress is
          shown once it is over. Queries to other nameservers (while the domain is delegated elsewhere) and answers resolvers gave from their
          caches never reach us, so they are not here.
        </p>
        <p>
          Each nameserver keeps the most asked names of each minute: a busy name is counted exactly, a name asked now and then may be counted
          low. Counts are kept for a limited time (METRICS_RETENTION_DAYS).
        </p>
      </Explainer>
    </div>
  );
}
