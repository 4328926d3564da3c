// The time ranges the panel's charts offer (last hour, 24 hours, 7 days) and the buckets each is
// drawn with. One bucket per point of a chart: 1 minute over an hour, 10 minutes over a day, an
// hour over a week (60, 144 and 168 points), so no chart has more points than pixels to spend.
//
// The nameservers write one row per minute (QueryStat.minute: the minute's start, UTC) once the
// minute is over, so a window ends at the start of the current minute: the minute in progress is
// not drawn as a dip to zero. Buckets are aligned to the epoch (10-minute buckets start at :00,
// :10, ...), and the last one may be cut short by the window's end: a rate is always the
// bucket's queries over the seconds of it that the window covers.
import { z } from "zod";

export const METRIC_RANGES = ["1h", "24h", "7d"] as const;
export type MetricRange = (typeof METRIC_RANGES)[number];

export const DEFAULT_METRIC_RANGE: MetricRange = "24h";

/** The range as it appears in a page's URL (?range=1h); anything else is the default. */
export const metricRangeSchema = z.enum(METRIC_RANGES).catch(DEFAULT_METRIC_RANGE);

export const RANGE_SETTINGS: Record<MetricRange, { label: string; seconds: number; bucketSeconds: number }> = {
  "1h": { label: "Last hour", seconds: 3600, bucketSeconds: 60 },
  "24h": { label: "Last 24 hours", seconds: 86_400, bucketSeconds: 600 },
  "7d": { label: "Last 7 days", seconds: 7 * 86_400, bucketSeconds: 3600 },
};

export interface Bucket {
  /** Start, in epoch seconds. */
  start: number;
  /** How many seconds of it the window covers (the last bucket may be cut short). */
  seconds: number;
}

export interface TimeWindow {
  range: MetricRange;
  /** Inclusive start (the first bucket's start), epoch seconds. */
  from: number;
  /** Exclusive end (the start of the current minute), epoch seconds. */
  to: number;
  bucketSeconds: number;
  buckets: Bucket[];
}

const MINUTE = 60;

export function timeWindow(range: MetricRange, now: Date = new Date()): TimeWindow {
  const { seconds, bucketSeconds: step } = RANGE_SETTINGS[range];
  const to = Math.floor(now.getTime() / 1000 / MINUTE) * MINUTE;
  // The bucket holding the last complete minute, and as many before it as the range has.
  const last = Math.floor((to - MINUTE) / step) * step;
  const count = seconds / step;
  const from = last - (count - 1) * step;
  const buckets: Bucket[] = [];
  for (let start = from; start <= last; start += step) buckets.push({ start, seconds: Math.min(step, to - start) });
  return { range, from, to, bucketSeconds: step, buckets };
}

export const DAY_SECONDS = 86_400;

/** The last `days` UTC days, today included: the changes-per-day chart's bars (epoch seconds). */
export function dayWindow(days: number, now: Date = new Date()): { from: number; to: number; days: number[] } {
  const today = Math.floor(now.getTime() / 1000 / DAY_SECONDS) * DAY_SECONDS;
  const list = Array.from({ length: days }, (_, i) => today - (days - 1 - i) * DAY_SECONDS);
  return { from: list[0], to: today + DAY_SECONDS, days: list };
}
