// How the charts write numbers and times. Times are the browser's local time once the page runs
// there (use-local-time.ts), UTC in the server's render, so the two renders agree. No React here:
// server pages use these too.

/** Queries per second, short: "0", "0.02", "1.5", "12", "1.2k", "3.4M". */
export function formatRate(qps: number): string {
  if (qps === 0) return "0";
  if (qps >= 1e6) return `${trim(qps / 1e6, 1)}M`;
  if (qps >= 1e3) return `${trim(qps / 1e3, 1)}k`;
  if (qps >= 10) return String(Math.round(qps));
  if (qps >= 1) return trim(qps, 1);
  if (qps >= 0.01) return trim(qps, 2);
  return "<0.01";
}

function trim(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.?0+$/, "");
}

/** A count with thousands separators, the same on the server and in every browser. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export type TimeZoneChoice = "utc" | "local";

/**
 * A bucket's start as the axis and tables show it: the time of day for minute and 10-minute
 * buckets, with the weekday for hourly ones (a week), the date for daily ones.
 */
export function formatBucket(ms: number, bucketSeconds: number, zone: TimeZoneChoice): string {
  const timeZone = zone === "utc" ? "UTC" : undefined;
  const suffix = zone === "utc" ? " UTC" : "";
  if (bucketSeconds >= 86_400) return new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short" }).format(ms);
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(ms);
  if (bucketSeconds >= 3600) return `${new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short" }).format(ms)} ${time}${suffix}`;
  return `${time}${suffix}`;
}

/** "14:20–14:30": the period a bucket covers, for tooltips and tables. */
export function formatPeriod(ms: number, seconds: number, bucketSeconds: number, zone: TimeZoneChoice): string {
  if (bucketSeconds >= 86_400) return formatBucket(ms, bucketSeconds, zone);
  const start = formatBucket(ms, bucketSeconds, zone).replace(/ UTC$/, "");
  return `${start}–${formatBucket(ms + seconds * 1000, 60, zone)}`;
}

/** An axis tick: the time of day, or the day ("Tue 26") on a week's chart (ticks at midnight). */
export function formatTick(ms: number, bucketSeconds: number, zone: TimeZoneChoice): string {
  if (bucketSeconds < 3600) return formatBucket(ms, bucketSeconds, zone).replace(/ UTC$/, "");
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone === "utc" ? "UTC" : undefined, weekday: "short", day: "numeric" }).format(ms);
}
