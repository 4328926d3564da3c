// How many RDAP and WHOIS queries one client address may make: RDAP_RATE_LIMIT per minute
// (default 60; 0 turns the limit off), counted in memory by rate-limiter-flexible. RDAP and
// WHOIS share the budget. IPv6 clients are counted per /64, the block one subscriber usually
// gets (as lib/auth/throttle.ts does for sign-in), so rotating addresses within it does not help.
//
// The count is per process. The panel server runs the WHOIS server and Next's route handlers
// in one process but from two module graphs (Next bundles its own copy of this file), so the
// limiters live on globalThis, where both find the same ones.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { ipv6Groups } from "../dns/ip.ts";

export const DEFAULT_LOOKUP_RATE_LIMIT = 60;
const WINDOW_SECONDS = 60;

/** RDAP_RATE_LIMIT: queries per minute per address (0: no limit). */
export function lookupRateLimit(env: Record<string, string | undefined> = process.env): number {
  const raw = env.RDAP_RATE_LIMIT;
  const n = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_LOOKUP_RATE_LIMIT;
}

/** The key an address is counted under: itself, or its /64 for IPv6; "unknown" when there is none. */
export function lookupClientKey(address: string | null | undefined): string {
  if (!address) return "unknown";
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  const groups = ipv6Groups(plain);
  return groups ? `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64` : plain;
}

const LIMITERS = Symbol.for("dns-panel.lookup-limiters");
type Registry = Map<number, RateLimiterMemory>;

function limiter(points: number): RateLimiterMemory {
  const global = globalThis as typeof globalThis & { [LIMITERS]?: Registry };
  const limiters = (global[LIMITERS] ??= new Map());
  let found = limiters.get(points);
  if (!found) limiters.set(points, (found = new RateLimiterMemory({ keyPrefix: "lookup", points, duration: WINDOW_SECONDS })));
  return found;
}

export type LookupAdmission = { ok: true } | { ok: false; retryAfterSeconds: number; limit: number };

/** Counts one query from `address`; refused (with the seconds until the window ends) over the limit. */
export async function admitLookup(address: string | null | undefined, env: Record<string, string | undefined> = process.env): Promise<LookupAdmission> {
  const limit = lookupRateLimit(env);
  if (limit === 0) return { ok: true };
  try {
    await limiter(limit).consume(lookupClientKey(address));
    return { ok: true };
  } catch (e) {
    // The memory limiter rejects with a RateLimiterRes when the points are used up.
    if (e instanceof RateLimiterRes || (e && typeof e === "object" && "msBeforeNext" in e)) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((e as RateLimiterRes).msBeforeNext / 1000)), limit };
    }
    throw e;
  }
}
