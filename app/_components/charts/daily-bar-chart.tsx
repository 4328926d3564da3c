"use client";
// A count per UTC day as bars (the platform's changes per day), zero days included so a quiet
// week shows as one. Drawn with recharts in the browser; the frame and table render anywhere.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "./chart-figure.tsx";
import { formatCount } from "./format.ts";
import { useLocalTime } from "./use-local-time.ts";

const HEIGHT = 220;

export interface DailyCount {
  /** "2026-11-26" (UTC). */
  day: string;
  count: number;
}

const dayLabel = (day: string) => new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short" }).format(Date.parse(day));

export function DailyBarChart({ title, days, unit, testId, emptyText }: { title: string; days: DailyCount[]; unit: string; testId: string; emptyText: string }) {
  const mounted = useLocalTime() === "local";
  const withData = days.filter((d) => d.count > 0);
  const total = days.reduce((sum, d) => sum + d.count, 0);
  const busiest = withData.reduce<DailyCount | null>((max, d) => (!max || d.count > max.count ? d : max), null);
  const summary = busiest
    ? `${formatCount(total)} ${unit} in ${days.length} days (UTC); the busiest day ${dayLabel(busiest.day)} with ${formatCount(busiest.count)}; today ${formatCount(days.at(-1)?.count ?? 0)}.`
    : `${unit} per day (UTC).`;
  const table = (
    <table>
      <caption>
        {title}, per UTC day. Days not listed had none.
      </caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col">{unit.charAt(0).toUpperCase() + unit.slice(1)}</th>
        </tr>
      </thead>
      <tbody>
        {withData.map((d) => (
          <tr key={d.day}>
            <th scope="row">{d.day}</th>
            <td>{formatCount(d.count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFigure title={title} summary={summary} testId={testId} dataPoints={withData.length} buckets={days.length} emptyText={emptyText} table={table} height={HEIGHT}>
      {mounted && (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
            <XAxis dataKey="day" tickFormatter={dayLabel} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" minTickGap={16} />
            <YAxis allowDecimals={false} tickFormatter={(v: number) => formatCount(v)} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" width={44} />
            <Tooltip labelFormatter={(day) => dayLabel(String(day))} formatter={(value) => formatCount(Number(value ?? 0))} contentStyle={{ fontSize: 12 }} labelStyle={{ color: "#0f172a" }} cursor={{ fill: "currentColor", fillOpacity: 0.08 }} />
            <Bar dataKey="count" name={unit} fill="#2563eb" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFigure>
  );
}
