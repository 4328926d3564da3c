// The panel's record edits: add, edit, delete (one or several at once). Each is one change set
// through the write path, after the permission check; an edit or delete names the version of
// the record the user saw, so a record someone else changed meanwhile is never overwritten.
import { db, type Db } from "../db/client.ts";
import { ValidationError } from "../errors.ts";
import { requireZonePermission, type Principal } from "../permissions.ts";
import type { RecordInput } from "../records/record-input.ts";
import { panelActor } from "./actors.ts";
import { applyChangeSet, type ChangeResult, type ChangeSet } from "./change-set.ts";
import type { DomainRef } from "./records-table.ts";

export interface PanelChange {
  oldSerial: number;
  serial: number;
  added: number;
  removed: number;
  /** How long resolvers may keep answering what they cached before (lib/zone/caching.ts). */
  cacheSeconds: number;
}

export interface RecordVersion {
  id: string;
  version: number;
}

const MAX_DELETE = 1000;

async function apply(principal: Principal, ref: DomainRef, changes: ChangeSet, client: Db): Promise<PanelChange> {
  const { zone, tenant } = await requireZonePermission(principal, ref.domain, "zone:edit", client, ref.tenant);
  const change: ChangeResult = await applyChangeSet(zone.id, changes, { ...panelActor(principal), forTenantId: tenant.id }, client);
  return {
    oldSerial: change.oldSerial,
    serial: change.serial,
    added: change.added.length,
    removed: change.removed.length - change.added.filter((a) => change.removed.some((r) => r.id === a.id)).length,
    cacheSeconds: change.cacheSeconds,
  };
}

export function addRecord(principal: Principal, ref: DomainRef, record: RecordInput, client: Db = db()) {
  return apply(principal, ref, { add: [record] }, client);
}

export function updateRecord(principal: Principal, ref: DomainRef, target: RecordVersion, record: RecordInput, client: Db = db()) {
  return apply(principal, ref, { update: [{ id: target.id, version: target.version, record }] }, client);
}

export function deleteRecords(principal: Principal, ref: DomainRef, targets: RecordVersion[], client: Db = db()) {
  if (targets.length === 0) throw new ValidationError([{ path: [], message: "select at least one record" }]);
  if (targets.length > MAX_DELETE) throw new ValidationError([{ path: [], message: `delete at most ${MAX_DELETE} records at once` }]);
  return apply(principal, ref, { remove: targets.map((t) => ({ id: t.id, version: t.version })) }, client);
}
