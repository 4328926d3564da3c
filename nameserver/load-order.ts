// Loads of one zone can overlap (a NOTIFY-driven reload, a resync after reconnecting, the
// periodic resync) and finish in any order. Each load takes a ticket BEFORE it reads the
// database; its result is applied only if no load that started later has been applied for that
// zone already. Under READ COMMITTED a query that starts later sees everything an earlier one
// saw, so the applied state only ever moves forward in database time.
//
// Database time, not serial order: after a restore from backup, serials may go backwards, and
// the restored (older-serial) zone must still replace what is in memory.
export class LoadOrder {
  private next = 0;
  private readonly applied = new Map<string, number>();

  /** Call before reading the database. */
  ticket(): number {
    return ++this.next;
  }

  /** True (and recorded) when a result read with `ticket` may replace what `zoneId` shows. */
  admit(zoneId: string, ticket: number): boolean {
    if ((this.applied.get(zoneId) ?? 0) > ticket) return false;
    this.applied.set(zoneId, ticket);
    return true;
  }
}
