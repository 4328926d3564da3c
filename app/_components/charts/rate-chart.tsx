"use client";
// Queries per second over a period: one stacked area per response code or query type, with the
// total as a line on top, from the per-bucket rates lib/metrics/query-rates.ts computes. Drawn
// with recharts in the browser only (it measures its container); the server renders the frame,
// the summary and the table.
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RatePoint, RateSeries } from "@/lib/metrics/query-rates.ts";
import { ChartFigure } from "./chart-figure.tsx";
import { formatCount, formatPeriod, formatRate, formatTick } from "./format.ts";
import { seriesColor } from "./series-colors.ts";
import { useLocalTime } from "./use-local-time.ts";

const HEIGHT = 260;

/**
 * Ticks on round local times: every 10 minutes over an hour, every 3 hours over a day, each
 * midnight over a week. Where the time zone's offset leaves no bucket on such a time, recharts
 * picks its own (undefined).
 */
function roundTicks(points: RatePoint[], bucketSeconds: number): number[] | undefined {
  const round = (d: Date) =>
    bucketSeconds < 600 ? d.getMinutes() % 10 === 0 : bucketSeconds < 3600 ? d.getMinutes() === 0 && d.getHours() % 3 === 0 : d.getHours() === 0;
  const ticks = points.map((p) => p.at).filter((at) => round(new Date(at)));
  return ticks.length >= 2 ? ticks : undefined;
}

export function RateChart({ title, series, testId, emptyText = "No queries in this period" }: { title: string; series: RateSeries; testId: string; emptyText?: string }) {
  const zone = useLocalTime();
  const mounted = zone === "local";
  const withData = series.points.filter((p) => p.queries > 0);
  const peak = withData.reduce<RatePoint | null>((max, p) => (!max || p.qps > max.qps ? p : max), null);
  const seconds = (p: RatePoint) => Math.min(series.bucketSeconds, (series.to - p.at) / 1000);
  const period = (p: RatePoint) => formatPeriod(p.at, seconds(p), series.bucketSeconds, zone);
  const split = series.breakdown === "qtype" ? "query type" : "response code";

  const summary = peak
    ? `${formatCount(series.totalQueries)} queries, peak ${formatRate(peak.qps)} per second (${period(peak)}); ${series.keys
        .map((k) => `${k} ${formatCount(series.totalsByKey[k] ?? 0)}`)
        .join(", ")}.`
    : "Queries per second.";

  const table = (
    <table>
      <caption>
        {title}: queries per second by {split}, per {series.bucketSeconds >= 3600 ? "hour" : series.bucketSeconds >= 600 ? "10 minutes" : "minute"}. Periods
        not listed had no queries.
      </caption>
      <thead>
        <tr>
          <th scope="col">Period</th>
          <th scope="col">Total</th>
          {series.keys.map((k) => (
            <th scope="col" key={k}>
              {k}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {withData.map((p) => (
          <tr key={p.at}>
            <th scope="row">{period(p)}</th>
            <td>{formatRate(p.qps)}</td>
            {series.keys.map((k) => (
              <td key={k}>{formatRate(p.byKey[k] ?? 0)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <ChartFigure
      title={title}
      summary={summary}
      testId={testId}
      dataPoints={withData.length}
      buckets={series.points.length}
      emptyText={emptyText}
      table={table}
      height={HEIGHT}
    >
      {mounted && (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <ComposedChart data={series.points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
            <XAxis
              dataKey="at"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              ticks={roundTicks(series.points, series.bucketSeconds)}
              tickFormatter={(at: number) => formatTick(at, series.bucketSeconds, zone)}
              tick={{ fill: "currentColor", fontSize: 12 }}
              stroke="currentColor"
              minTickGap={24}
            />
            <YAxis tickFormatter={(v: number) => formatRate(v)} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" width={44} allowDecimals />
            <Tooltip
              labelFormatter={(at) => period(series.points.find((p) => p.at === at) ?? { at: Number(at), queries: 0, qps: 0, byKey: {} })}
              formatter={(value) => `${formatRate(Number(value ?? 0))}/s`}
              contentStyle={{ fontSize: 12 }}
              labelStyle={{ color: "#0f172a" }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.keys.map((key, i) => (
              <Area
                key={key}
                name={key}
                dataKey={(p: RatePoint) => p.byKey[key] ?? 0}
                stackId="rate"
                type="linear"
                stroke={seriesColor(key, i, series.breakdown)}
                fill={seriesColor(key, i, series.breakdown)}
                fillOpacity={0.35}
                isAnimationActive={false}
              />
            ))}
            <Line name="total" dataKey="qps" type="linear" stroke="currentColor" strokeWidth={1.5} strokeDasharray="4 3" dot={false} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </ChartFigure>
  );
}
