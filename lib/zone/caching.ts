// How long resolvers may keep answering from what they cached before a change: the panel's
// "visible everywhere by HH:MM" (never "propagation": nothing propagates, caches expire).
//
// For each RRset a change touched, what a resolver may hold is either the old RRset (for its
// TTL) or, when there was none, a negative answer (for min(SOA TTL, SOA MINIMUM), RFC 2308 §5).
// The change is visible everywhere once the longest of these has run out. A delegation change
// is a change of the NS RRset in the parent zone, so its horizon is the parent's NS TTL.
// The write path computes it inside the transaction, from the records as they were, and
// journals it with the change (ZoneChange.cacheSeconds).

interface RRsetKey {
  name: string;
  type: string;
}

/**
 * `touched`: the records the change added or removed; `before`: the records at those names
 * before the change (all types; others are ignored); `negativeTtl`: the zone's negative TTL.
 */
export function cacheHorizon(touched: RRsetKey[], before: (RRsetKey & { ttl: number })[], negativeTtl: number): number {
  const key = (r: RRsetKey) => `${r.name}|${r.type}`;
  const oldTtl = new Map<string, number>();
  for (const r of before) oldTtl.set(key(r), Math.max(oldTtl.get(key(r)) ?? 0, r.ttl));
  let horizon = 0;
  for (const k of new Set(touched.map(key))) horizon = Math.max(horizon, oldTtl.get(k) ?? negativeTtl);
  return horizon;
}

/** When a change made at `at` with this horizon is visible to every resolver. */
export function visibleEverywhereAt(at: Date, cacheSeconds: number): Date {
  return new Date(at.getTime() + cacheSeconds * 1000);
}
