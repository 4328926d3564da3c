// The registry's clock: a small scheduler inside the product that moves registrations along
// their lifecycle (lib/registry/lifecycle.ts) when their dates pass: auto-renewals, expiry into
// grace, removal of the delegation after grace, release after the restore period.
//
// tick(now) is idempotent and safe with several instances: each transition runs in its own
// transaction under the registry lock and re-reads the registration first, so a transition that
// another instance (or an earlier tick) already made is found done. `registry tick --at <ISO
// date>` runs it with another clock, which is how the tests travel through a year.
import { db, type Db } from "../db/client.ts";
import { registryConfig } from "../config.ts";
import type { Actor } from "../zone/change-set.ts";
import { registryFor } from "./local-registry.ts";
import { dueTransition } from "./lifecycle.ts";
import { REGISTRY_ACTOR } from "./tlds.ts";

export interface TickReport {
  at: Date;
  /** "<domain>: <what happened>", in the order it happened. */
  transitions: string[];
}

/** Every transition that has to happen because `now` has come (in `tlds` only, when given). */
export async function tick(now: Date = new Date(), opts: { tlds?: string[]; client?: Db; actor?: Actor } = {}): Promise<TickReport> {
  const client = opts.client ?? db();
  const actor = opts.actor ?? REGISTRY_ACTOR;
  const due = await client.registration.findMany({
    where: {
      ...(opts.tlds ? { tld: { in: opts.tlds } } : {}),
      OR: [
        { status: { in: ["active", "grace"] }, expiresAt: { lte: now } },
        { status: "redemption", releaseAt: { lte: now } },
      ],
    },
    select: { status: true, expiresAt: true, releaseAt: true, autoRenew: true, domain: { select: { name: true } } },
    orderBy: { expiresAt: "asc" },
  });
  const report: TickReport = { at: now, transitions: [] };
  const registry = registryFor();
  const { graceDays, restoreDays } = registryConfig();
  // Only those with a step due now take the lock (a domain in grace is a candidate every tick).
  for (const { domain } of due.filter((r) => dueTransition(r, now, { graceDays, restoreDays }))) {
    // A domain far behind (a tick after a long outage, or --at a year ahead) may owe several steps.
    for (let step = 0; step < 4; step++) {
      const done = await registry.advance(domain.name, now, actor);
      if (!done) break;
      report.transitions.push(`${domain.name}: ${done}`);
    }
  }
  return report;
}

/** Runs tick() every REGISTRY_TICK_SECONDS (0: never) until stopped. */
export function startRegistryScheduler(log: (line: string) => void = () => {}): { stop(): void } {
  const seconds = registryConfig().tickSeconds;
  if (seconds <= 0) return { stop() {} };
  let running = false;
  const timer = setInterval(async () => {
    if (running) return; // a slow tick is never overlapped by the next
    running = true;
    try {
      const report = await tick();
      for (const line of report.transitions) log(`[registry] ${line}`);
    } catch (e) {
      log(`[registry] tick failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  }, seconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
