// A domain's change history, from the journal: who changed what and when, with the before and
// after of each record. An edit appears in the journal as the old record removed and the new
// one added under the same id; here the two are paired into one "changed" line.
import { db, type Db } from "../db/client.ts";
import { requireZonePermission, type Principal } from "../permissions.ts";
import type { DomainRef } from "./records-table.ts";
import { visibleEverywhereAt } from "./caching.ts";

export const HISTORY_PAGE_SIZE = 25;

interface JournalRecord {
  id?: string;
  name: string;
  type: string;
  ttl: number;
  content: string;
}

export type HistoryLine =
  | { kind: "added"; after: JournalRecord }
  | { kind: "removed"; before: JournalRecord }
  | { kind: "changed"; before: JournalRecord; after: JournalRecord };

export function historyLines(added: JournalRecord[], removed: JournalRecord[]): HistoryLine[] {
  const removedById = new Map(removed.filter((r) => r.id).map((r) => [r.id!, r]));
  const lines: HistoryLine[] = [];
  const paired = new Set<string>();
  for (const after of added) {
    const before = after.id ? removedById.get(after.id) : undefined;
    if (before) {
      paired.add(after.id!);
      lines.push({ kind: "changed", before, after });
    } else lines.push({ kind: "added", after });
  }
  for (const before of removed) if (!before.id || !paired.has(before.id)) lines.push({ kind: "removed", before });
  return lines;
}

export async function zoneHistory(principal: Principal, ref: DomainRef, page = 1, client: Db = db()) {
  const { zone, tenant } = await requireZonePermission(principal, ref.domain, "zone:read", client, ref.tenant);
  const total = await client.zoneChange.count({ where: { zoneId: zone.id } });
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const changes = await client.zoneChange.findMany({
    where: { zoneId: zone.id },
    orderBy: { createdAt: "desc" },
    skip: (current - 1) * HISTORY_PAGE_SIZE,
    take: HISTORY_PAGE_SIZE,
  });
  return {
    zone,
    tenant,
    page: current,
    pages,
    total,
    entries: changes.map((c) => ({
      id: c.id,
      at: c.createdAt,
      who: c.actorLabel,
      source: c.source,
      oldSerial: Number(c.oldSerial),
      newSerial: Number(c.newSerial),
      visibleAt: visibleEverywhereAt(c.createdAt, c.cacheSeconds),
      lines: historyLines(c.added as unknown as JournalRecord[], c.removed as unknown as JournalRecord[]),
    })),
  };
}
