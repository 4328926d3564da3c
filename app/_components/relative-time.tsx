"use client";
// A time shown relative to now ("5 min ago"), with the exact local time on hover. Rendered in
// the browser so it is in the user's time zone.
import { useEffect, useState } from "react";

export function formatRelative(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return date.toLocaleDateString();
}

/** `absolute`: the exact local date and time first, then how long ago (for audit trails). */
export function RelativeTime({ date, absolute = false }: { date: string; absolute?: boolean }) {
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => setNow(new Date()), []);
  const d = new Date(date);
  if (absolute) {
    return (
      <time dateTime={date}>
        {now ? `${d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" })} (${formatRelative(d, now)})` : d.toISOString().slice(0, 16).replace("T", " ")}
      </time>
    );
  }
  return (
    <time dateTime={date} title={d.toLocaleString()}>
      {now ? formatRelative(d, now) : d.toISOString().slice(0, 16).replace("T", " ")}
    </time>
  );
}
