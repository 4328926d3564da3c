// The platform's dashboard: the platform in numbers, the nameserver instances (heartbeat and how
// far behind the database they serve), queries per second (total and by response code) over the
// chosen period, and changes per day. Everything comes from lib/metrics/dashboard.ts, which
// checks the platform-admin permission.
import { requirePrincipal } from "@/lib/auth/session.ts";
import { platformDashboard } from "@/lib/metrics/dashboard.ts";
import { METRIC_RANGES, RANGE_SETTINGS } from "@/lib/metrics/ranges.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Card, PageTitle } from "@/app/_components/ui.tsx";
import { RateChart } from "@/app/_components/charts/rate-chart.tsx";
import { DailyBarChart } from "@/app/_components/charts/daily-bar-chart.tsx";
import { ChoiceLinks } from "@/app/_components/charts/range-links.tsx";
import { formatCount, formatRate } from "@/app/_components/charts/format.ts";
import { DashboardFigures } from "./dashboard-figures.tsx";
import { DashboardInstances } from "./dashboard-instances.tsx";

export const metadata = { title: "Platform admin · DNS panel" };

export default async function AdminDashboardPage({ searchParams }: { searchParams: Promise<{ range?: string | string[] }> }) {
  const { range } = await searchParams;
  const principal = await requirePrincipal();
  const d = await orNotFound(platformDashboard(principal, range));
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <PageTitle sub="The platform now, and its queries and changes over time.">Dashboard</PageTitle>
        <ChoiceLinks
          label="Period"
          name="range"
          base="/admin"
          current={d.range}
          choices={METRIC_RANGES.map((value) => ({ value, label: RANGE_SETTINGS[value].label }))}
        />
      </div>

      <DashboardFigures
        figures={d.figures}
        queries={{ label: d.rangeLabel, total: d.queries.totalQueries, peakQps: d.queries.peakQps }}
      />

      <Card>
        <RateChart title={`Queries per second · ${d.rangeLabel.toLowerCase()}`} series={d.queries} testId="platform-qps-chart" />
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
          All nameserver instances together, by response code (REFUSED: names outside the zones we serve, and zones not served). Counted per minute;
          the minute in progress is shown once it is over.{" "}
          {d.queries.totalQueries > 0 && (
            <>
              Average over the period: {formatRate(d.queries.totalQueries / ((d.queries.to - d.queries.from) / 1000))} per second,{" "}
              {formatCount(d.queries.totalQueries)} queries.
            </>
          )}
        </p>
      </Card>

      <Card title="Nameserver instances">
        <DashboardInstances instances={d.instances} />
      </Card>

      <Card>
        <DailyBarChart
          title="Changes per day · last 30 days"
          days={d.changes.map((c) => ({ day: c.day, count: c.changes }))}
          unit="changes"
          testId="platform-changes-chart"
          emptyText="No changes in this period"
        />
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
          Change sets committed to any zone (each moved a zone&apos;s serial once), per UTC day. The registry&apos;s changes to its TLD zones count too.
        </p>
      </Card>
    </div>
  );
}
