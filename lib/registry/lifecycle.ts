// A registration's life, with real dates (pure: every function takes the time it needs).
//
//   register (1-10 years)          active                        delegated as configured
//   expiresAt passes, auto-renew   active again, +1 year          (nothing changes at the parent)
//   expiresAt passes, no renewal   grace     (REGISTRY_GRACE_DAYS) still delegated; renew keeps it
//   grace ends                     redemption (REGISTRY_RESTORE_DAYS) delegation removed from the
//                                  parent: the domain stops resolving; records are kept; restore
//   redemption ends                released: the registration is deleted, the name is available
//
// Renewals add whole years to the expiry date (not to today), and never take it more than
// MAX_YEARS ahead of now, as registries do (RFC 5731 §3.2.3 leaves the limit to the registry).
// Deleting a registration puts it straight into redemption (RFC 3915's redemption period).

export const MIN_YEARS = 1;
export const MAX_YEARS = 10;
const DAY_MS = 86_400_000;

export interface LifecycleSettings {
  graceDays: number;
  restoreDays: number;
}

export interface RegistrationDates {
  status: "active" | "grace" | "redemption";
  expiresAt: Date;
  releaseAt: Date | null;
  autoRenew: boolean;
}

/** `date` plus whole calendar years (29 February becomes 28 February in other years). */
export function addYears(date: Date, years: number): Date {
  const out = new Date(date);
  out.setUTCFullYear(out.getUTCFullYear() + years);
  if (out.getUTCDate() !== date.getUTCDate()) out.setUTCDate(0); // rolled into March
  return out;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

/** The latest expiry a renewal may reach. */
export function maxExpiry(now: Date): Date {
  return addYears(now, MAX_YEARS);
}

export function validYears(years: number): string | null {
  if (!Number.isInteger(years) || years < MIN_YEARS || years > MAX_YEARS) return `years must be a whole number from ${MIN_YEARS} to ${MAX_YEARS}`;
  return null;
}

/** When the grace period of a registration that expires at `expiresAt` ends. */
export function graceEndsAt(expiresAt: Date, settings: LifecycleSettings): Date {
  return addDays(expiresAt, settings.graceDays);
}

/**
 * The expiry after renewing for `years`, or the reason it cannot be renewed. Renewing in the
 * grace period counts from the old expiry date, so the time in grace is not lost or gained.
 */
export function renewedExpiry(reg: Pick<RegistrationDates, "status" | "expiresAt">, years: number, now: Date): { expiresAt: Date } | { error: string } {
  const invalid = validYears(years);
  if (invalid) return { error: invalid };
  if (reg.status === "redemption") return { error: "the domain is past its grace period: restore it instead of renewing" };
  const expiresAt = addYears(reg.expiresAt, years);
  if (expiresAt > maxExpiry(now)) {
    const room = yearsOfRoom(reg.expiresAt, now);
    return { error: room > 0 ? `a domain can be registered at most ${MAX_YEARS} years ahead: renew for at most ${room} year${room === 1 ? "" : "s"}` : `the domain is already registered ${MAX_YEARS} years ahead` };
  }
  return { expiresAt };
}

/** How many whole years a registration expiring at `expiresAt` can still be renewed by. */
export function yearsOfRoom(expiresAt: Date, now: Date): number {
  let n = 0;
  while (n < MAX_YEARS && addYears(expiresAt, n + 1) <= maxExpiry(now)) n++;
  return n;
}

/**
 * The expiry after restoring a registration in redemption: the old expiry plus `years`, and
 * further whole years until it lies in the future (a restored domain must not expire at once).
 */
export function restoredExpiry(expiresAt: Date, years: number, now: Date): Date {
  let out = addYears(expiresAt, years);
  while (out <= now) out = addYears(out, 1);
  return out;
}

/** The next transition due for a registration at `now`, or null when none is due yet. */
export type Transition =
  | { kind: "auto-renew"; expiresAt: Date }
  | { kind: "enter-grace" }
  | { kind: "undelegate"; releaseAt: Date }
  | { kind: "release" };

export function dueTransition(reg: RegistrationDates, now: Date, settings: LifecycleSettings): Transition | null {
  if (reg.status === "active" || reg.status === "grace") {
    if (reg.expiresAt > now) return null;
    if (reg.autoRenew) {
      // Renew from the expiry date, one year at a time, until it lies ahead again.
      let expiresAt = reg.expiresAt;
      while (expiresAt <= now) expiresAt = addYears(expiresAt, 1);
      return { kind: "auto-renew", expiresAt };
    }
    const graceEnd = graceEndsAt(reg.expiresAt, settings);
    if (now >= graceEnd) return { kind: "undelegate", releaseAt: addDays(graceEnd, settings.restoreDays) };
    return reg.status === "active" ? { kind: "enter-grace" } : null;
  }
  if (reg.releaseAt && now >= reg.releaseAt) return { kind: "release" };
  return null;
}

/** What the panel says about where a registration is in its life. */
export function lifecycleSummary(reg: RegistrationDates, settings: LifecycleSettings): { tone: "ok" | "warning" | "danger"; text: string } {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  if (reg.status === "active") {
    return { tone: "ok", text: `Registered until ${day(reg.expiresAt)}${reg.autoRenew ? "; renews automatically" : "; auto-renew is off"}` };
  }
  if (reg.status === "grace") {
    return {
      tone: "danger",
      text: `Expired on ${day(reg.expiresAt)}. It still resolves until ${day(graceEndsAt(reg.expiresAt, settings))}; renew before then or it stops resolving.`,
    };
  }
  return {
    tone: "danger",
    text: `Not resolving: the registration expired and its delegation was removed. Restore it before ${reg.releaseAt ? day(reg.releaseAt) : "it is released"}, or the name becomes available to anyone. Its records are kept.`,
  };
}
