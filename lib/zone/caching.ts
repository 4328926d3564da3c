// How long resolvers may keep answering from what they cached before a change (the panel's
// "resolvers may keep the old answer until HH:MM").
//
// Nothing propagates: a resolver that asked before the change keeps its answer for that
// answer's TTL. For each RRset the change touched, the old answer was either the old RRset
// (its TTL) or, when there was none, a negative answer cached for min(SOA TTL, SOA MINIMUM)
// (RFC 2308 §5). The horizon is the longest of these.
import type { DbClient } from "../db/client.ts";
import type { ChangeResult } from "./change-set.ts";

interface Rec {
  id: string;
  name: string;
  type: string;
  ttl: number;
}

/** Pure part: `remaining` are the records now at the touched names (after the change). */
export function cachingHorizon(change: { added: Rec[]; removed: Rec[] }, remaining: Rec[], negativeTtl: number): number {
  const key = (r: Rec) => `${r.name}|${r.type}`;
  const addedIds = new Set(change.added.map((r) => r.id));
  const before = new Map<string, number[]>();
  for (const r of change.removed) before.set(key(r), [...(before.get(key(r)) ?? []), r.ttl]);
  for (const r of remaining) {
    if (!addedIds.has(r.id)) before.set(key(r), [...(before.get(key(r)) ?? []), r.ttl]);
  }
  let horizon = 0;
  for (const k of new Set([...change.added, ...change.removed].map(key))) {
    const ttls = before.get(k);
    horizon = Math.max(horizon, ttls?.length ? Math.max(...ttls) : negativeTtl);
  }
  return horizon;
}

export async function cachingHorizonSeconds(
  client: DbClient,
  zone: { id: string; soaTtl: number; minimum: number },
  change: ChangeResult,
): Promise<number> {
  const names = [...new Set([...change.added, ...change.removed].map((r) => r.name))];
  const remaining = await client.record.findMany({ where: { zoneId: zone.id, name: { in: names } }, select: { id: true, name: true, type: true, ttl: true } });
  return cachingHorizon(change, remaining, Math.min(zone.soaTtl, zone.minimum));
}
