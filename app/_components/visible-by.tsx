"use client";
// "Visible everywhere by HH:MM": when the last resolver's cached copy of what a change replaced
// expires (lib/zone/caching.ts). Shown in the browser's time zone; "now" once it has passed.
import { useEffect, useState } from "react";

export function VisibleBy({ at }: { at: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => setNow(Date.now()), []);
  const when = new Date(at);
  if (now === null) return <span data-testid="visible-by">visible everywhere by {at.slice(11, 16)} UTC</span>;
  if (when.getTime() <= now) return <span data-testid="visible-by">visible everywhere</span>;
  const sameDay = when.toDateString() === new Date(now).toDateString();
  const text = when.toLocaleString([], sameDay ? { hour: "2-digit", minute: "2-digit" } : { dateStyle: "medium", timeStyle: "short" });
  return (
    <span data-testid="visible-by" title={when.toLocaleString()}>
      visible everywhere by <strong>{text}</strong>
    </span>
  );
}
