"use client";
// The zone's serial and whether the nameservers serve it. After a change (a new `serial`),
// polls the serving route every 200 ms until every running nameserver reports that serial —
// usually within a few milliseconds of the commit — and says so.
import { useEffect, useState } from "react";
import type { ServingStatus } from "@/lib/zone/serving-status.ts";
import { serialAtLeast } from "@/lib/zone/serial.ts";
import { cx } from "@/app/_components/ui.tsx";

const POLL_MS = 200;
const GIVE_UP_MS = 30_000;

export function LiveStatus({ tenant, domain, serial }: { tenant: string; domain: string; serial: number }) {
  const [status, setStatus] = useState<ServingStatus | null>(null);
  const [gaveUp, setGaveUp] = useState(false);

  useEffect(() => {
    let stopped = false;
    const started = Date.now();
    setGaveUp(false);
    async function poll() {
      while (!stopped) {
        try {
          const response = await fetch(`/api/t/${tenant}/domains/${domain}/serving`, { cache: "no-store" });
          if (response.ok) {
            const next = (await response.json()) as ServingStatus;
            if (stopped) return;
            setStatus(next);
            if ((next.live && serialAtLeast(next.serial, serial)) || !next.served) return;
          }
        } catch {
          // Network hiccup: try again.
        }
        if (Date.now() - started > GIVE_UP_MS) return setGaveUp(true);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }
    void poll();
    return () => {
      stopped = true;
    };
  }, [tenant, domain, serial]);

  const shownSerial = status?.serial ?? serial;
  let text: string;
  let tone: "ok" | "wait" | "warn";
  if (!status) [text, tone] = ["checking the nameservers…", "wait"];
  else if (!status.served) [text, tone] = ["not served by our nameservers (external delegation or suspended)", "warn"];
  else if (status.nameservers.length === 0) [text, tone] = ["no nameserver is running: saved, and served as soon as one starts", "warn"];
  else if (status.live) [text, tone] = [`live on nameserver${status.nameservers.length > 1 ? "s" : ""}`, "ok"];
  else if (gaveUp) [text, tone] = ["not confirmed by the nameservers yet", "warn"];
  else [text, tone] = ["waiting for the nameservers…", "wait"];

  return (
    <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="live-status" aria-live="polite">
      <span>
        SOA serial <span className="font-mono tabular-nums" data-testid="zone-serial">{shownSerial}</span>
      </span>
      <span
        className={cx(
          "inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium",
          tone === "ok" && "bg-green-100 text-green-800 dark:bg-green-900 dark:text-green-100",
          tone === "wait" && "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
          tone === "warn" && "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
        )}
      >
        <span aria-hidden="true">{tone === "ok" ? "✓" : tone === "wait" ? "…" : "!"}</span>
        {text}
      </span>
    </p>
  );
}
