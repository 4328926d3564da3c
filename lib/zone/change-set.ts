// THE write path for zone data. Every change to records — panel, API, CLI, registry, zone
// import, DNS UPDATE — is a change set applied here, and no other module writes records
// (tests/unit/one-write-path.test.ts greps for that).
//
//   validate every record with the per-type zod schemas          (no database yet)
//   BEGIN
//     lock the zone row (SELECT ... FOR UPDATE): change sets on one zone run one at a time
//     resolve removals/updates, refusing stale versions (no silent overwrite)
//     check the zone rules on the records as they will be
//     write records; serial = nextSerial(serial); journal entry; audit entry
//     NOTIFY zone_changed '<zone id>:<serial>'   (delivered at COMMIT, never for a rollback)
//   COMMIT
//
// One change set = one serial bump, whatever its size; a rejected change set writes nothing.
import type { Prisma } from "../generated/prisma/client.ts";
import { db, type Db } from "../db/client.ts";
import { hostingConfig } from "../config.ts";
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from "../errors.ts";
import { isInZone, NameError, resolveOwnerName } from "../dns/names.ts";
import { validateRecord, type NormalizedRecord, type RecordInput } from "../records/record-input.ts";
import { checkZoneRules, targetsOf, type ViewRecord, type ZoneView } from "./rules.ts";
import { nextSerial } from "./serial.ts";
import { cacheHorizon } from "./caching.ts";

export const ZONE_CHANGED_CHANNEL = "zone_changed";

export type ChangeSource = "panel" | "api" | "cli" | "registry" | "dns-update" | "import" | "system";

export interface Actor {
  userId?: string | null;
  /** Who, for the journal: an email, "cli", "registry"... */
  label: string;
  source: ChangeSource;
}

/** A record to remove: by id (with the version the caller saw), or by name/type[/content]. */
export type RecordRemoval = { id: string; version?: number } | { name: string; type: string; content?: string };

export interface ChangeSet {
  add?: RecordInput[];
  update?: { id: string; version: number; record: RecordInput }[];
  remove?: RecordRemoval[];
}

export interface StoredRecord extends NormalizedRecord {
  id: string;
  version: number;
}

export interface ChangeResult {
  zoneId: string;
  zoneName: string;
  oldSerial: number;
  serial: number;
  added: StoredRecord[];
  removed: StoredRecord[];
  changeId: string;
  /** How long resolvers may keep what they cached before (lib/zone/caching.ts). */
  cacheSeconds: number;
}

type Tx = Prisma.TransactionClient;

interface PreparedChange {
  adds: { record: NormalizedRecord; origin: (string | number)[] }[];
  updates: { id: string; version: number; record: NormalizedRecord; origin: (string | number)[] }[];
  removals: { removal: RecordRemoval; origin: (string | number)[] }[];
}

/** Validates each record of the change set on its own (no database). Throws ValidationError. */
function prepare(zone: string, changes: ChangeSet, defaultTtl: number): PreparedChange {
  const issues: FieldIssue[] = [];
  const prepared: PreparedChange = { adds: [], updates: [], removals: [] };
  (changes.add ?? []).forEach((input, i) => {
    const v = validateRecord(input, zone, defaultTtl);
    if (v.ok) prepared.adds.push({ record: v.record, origin: ["add", i] });
    else issues.push(...v.issues.map((x) => ({ ...x, path: ["add", i, ...x.path] })));
  });
  (changes.update ?? []).forEach((u, i) => {
    const v = validateRecord(u.record, zone, defaultTtl);
    if (v.ok) prepared.updates.push({ id: u.id, version: u.version, record: v.record, origin: ["update", i] });
    else issues.push(...v.issues.map((x) => ({ ...x, path: ["update", i, ...x.path] })));
  });
  (changes.remove ?? []).forEach((r, i) => {
    if ("id" in r) {
      prepared.removals.push({ removal: r, origin: ["remove", i] });
      return;
    }
    // Canonicalise what identifies the record, so "10 mail.example.test" finds "10 mail.example.test.".
    try {
      const name = resolveOwnerName(r.name, zone);
      const type = r.type.trim().toUpperCase();
      let content = r.content;
      if (content !== undefined && content.trim() !== "") {
        const v = validateRecord({ name: r.name, type, content }, zone, defaultTtl);
        if (!v.ok) return issues.push(...v.issues.map((x) => ({ ...x, path: ["remove", i, ...x.path] })));
        content = v.record.content;
      } else content = undefined;
      prepared.removals.push({ removal: { name, type, content }, origin: ["remove", i] });
    } catch (e) {
      issues.push({ path: ["remove", i, "name"], message: e instanceof NameError ? e.message : "not a valid name" });
    }
  });
  if (issues.length) throw new ValidationError(issues);
  if (!prepared.adds.length && !prepared.updates.length && !prepared.removals.length) {
    throw new ValidationError([{ path: [], message: "the change set is empty" }]);
  }
  return prepared;
}

function toStored(r: { id: string; name: string; type: string; ttl: number; content: string; version: number }): StoredRecord {
  return { id: r.id, name: r.name, type: r.type as StoredRecord["type"], ttl: r.ttl, content: r.content, version: r.version };
}

const plain = (r: NormalizedRecord) => ({ name: r.name, type: r.type, ttl: r.ttl, content: r.content });

/**
 * Applies a change set to a zone inside an open transaction whose caller has NOT yet locked
 * the zone. Used by applyChangeSet and by code that must create a zone and its first records
 * atomically (lib/domains.ts).
 */
export async function applyChangeSetInTransaction(
  tx: Tx,
  zoneId: string,
  changes: ChangeSet,
  actor: Actor,
): Promise<ChangeResult> {
  const config = hostingConfig();
  // Lock first: everything below sees the zone as no one else can change it until COMMIT.
  const zone = await lockZone(tx, zoneId);
  const prepared = prepare(zone.name, changes, config.defaultTtl);
  const issues: FieldIssue[] = [];

  // Resolve what goes away (removals and the old side of updates).
  const removed = new Map<string, StoredRecord>();
  const idsWanted = [
    ...prepared.updates.map((u) => u.id),
    ...prepared.removals.flatMap((r) => ("id" in r.removal ? [r.removal.id] : [])),
  ];
  const byId = new Map(
    (await tx.record.findMany({ where: { zoneId, id: { in: idsWanted } } })).map((r) => [r.id, toStored(r)]),
  );
  const staleMessage = (r: StoredRecord) =>
    `${r.type} record at ${r.name} was changed by someone else since you loaded it; reload to see the current version`;
  for (const u of prepared.updates) {
    const current = byId.get(u.id);
    if (!current) throw new ConflictError("the record you edited was deleted by someone else; reload to see the current zone");
    if (current.version !== u.version) throw new ConflictError(staleMessage(current));
    removed.set(current.id, current);
  }
  for (const { removal, origin } of prepared.removals) {
    if ("id" in removal) {
      const current = byId.get(removal.id);
      if (!current) throw new ConflictError("a record you deleted was already deleted by someone else; reload to see the current zone");
      if (removal.version !== undefined && current.version !== removal.version) throw new ConflictError(staleMessage(current));
      removed.set(current.id, current);
    } else {
      const matches = await tx.record.findMany({
        where: { zoneId, name: removal.name, type: removal.type, ...(removal.content ? { content: removal.content } : {}) },
      });
      if (matches.length === 0) {
        issues.push({ path: origin, message: `no ${removal.type} record${removal.content ? ` "${removal.content}"` : ""} at ${removal.name}` });
      }
      for (const m of matches) removed.set(m.id, toStored(m));
    }
  }

  // Build the view: records as they will be at every name the change touches or points at.
  const added: ViewRecord[] = [
    ...prepared.adds.map((a) => ({ ...a.record, origin: a.origin })),
    ...prepared.updates.map((u) => ({ ...u.record, origin: [...u.origin, "record"] })),
  ];
  const touched = new Set<string>([...added.map((r) => r.name), ...[...removed.values()].map((r) => r.name)]);
  const targetNames = added.flatMap((r) => targetsOf(r, zone.name)).filter((t) => isInZone(t, zone.name));
  const loadNames = [...new Set([...touched, ...targetNames])];
  const existing = await tx.record.findMany({ where: { zoneId, name: { in: loadNames } } });
  // Records elsewhere that point at a name which now gets a CNAME (MX/NS/SRV targets). The
  // target is the last field of the stored content: after a space for MX ("10 x.") and SRV
  // ("0 0 5 x."), the whole content for NS ("x."), which has no space before it.
  const newCnames = added.filter((r) => r.type === "CNAME").map((r) => `${r.name}.`);
  const pointing = newCnames.length
    ? await tx.record.findMany({
        where: {
          zoneId,
          type: { in: ["MX", "NS", "SRV"] },
          OR: newCnames.flatMap((t) => [{ content: { endsWith: ` ${t}` } }, { type: "NS", content: t }]),
        },
      })
    : [];
  const view: ZoneView = new Map();
  const put = (r: ViewRecord) => view.set(r.name, [...(view.get(r.name) ?? []), r]);
  const seenIds = new Set<string>();
  for (const r of [...existing, ...pointing]) {
    if (removed.has(r.id) || seenIds.has(r.id)) continue;
    seenIds.add(r.id);
    put(toStored(r));
  }
  for (const name of loadNames) if (!view.has(name)) view.set(name, []);
  added.forEach(put);
  issues.push(...checkZoneRules(zone.name, view, touched));

  // The quota is a tenant's; the registry's parent zones (no tenant) grow with registrations.
  const count = zone.tenantId === null ? 0 : await tx.record.count({ where: { zoneId } });
  if (zone.tenantId !== null && count + prepared.adds.length - (removed.size - prepared.updates.length) > config.maxRecordsPerZone) {
    issues.push({ path: [], message: `a zone can hold at most ${config.maxRecordsPerZone} records` });
  }
  if (issues.length) throw new ValidationError(issues);

  // Write. Updates keep their id and move to the next version.
  const removeIds = [...removed.keys()].filter((id) => !prepared.updates.some((u) => u.id === id));
  if (removeIds.length) await tx.record.deleteMany({ where: { id: { in: removeIds } } });
  const addedRows: StoredRecord[] = [];
  for (const u of prepared.updates) {
    const row = await tx.record.update({ where: { id: u.id }, data: { ...plain(u.record), version: { increment: 1 } } });
    addedRows.push(toStored(row));
  }
  if (prepared.adds.length) {
    const rows = await tx.record.createManyAndReturn({ data: prepared.adds.map((a) => ({ zoneId, ...plain(a.record) })) });
    addedRows.push(...rows.map(toStored));
  }

  // What resolvers may have cached: the RRsets touched, as they were before this change.
  const touchedRRsets = [...addedRows, ...removed.values()];
  const cacheSeconds = cacheHorizon(touchedRRsets, existing.filter((r) => touched.has(r.name)), Math.min(zone.soaTtl, zone.minimum));

  const oldSerial = Number(zone.serial);
  const serial = nextSerial(oldSerial);
  await tx.zone.update({ where: { id: zoneId }, data: { serial: BigInt(serial) } });
  const removedList = [...removed.values()];
  const journal = await tx.zoneChange.create({
    data: {
      zoneId,
      oldSerial: BigInt(oldSerial),
      newSerial: BigInt(serial),
      actorId: actor.userId ?? null,
      actorLabel: actor.label,
      source: actor.source,
      added: addedRows.map((r) => ({ id: r.id, ...plain(r) })),
      removed: removedList.map((r) => ({ id: r.id, ...plain(r) })),
      cacheSeconds,
    },
  });
  await tx.auditLog.create({
    data: {
      tenantId: zone.tenantId,
      actorId: actor.userId ?? null,
      actorLabel: actor.label,
      action: "zone.change",
      target: zone.name,
      details: { source: actor.source, changeId: journal.id, oldSerial, serial, added: addedRows.length, removed: removedList.length },
    },
  });
  await notifyZoneChanged(tx, zoneId, serial);
  return { zoneId, zoneName: zone.name, oldSerial, serial, added: addedRows, removed: removedList, changeId: journal.id, cacheSeconds };
}

/** Locks the zone row until COMMIT (SELECT ... FOR UPDATE): writers of one zone take turns. */
async function lockZone(tx: Tx, zoneId: string) {
  const locked = await tx.$queryRaw<{ id: string; name: string; serial: bigint; tenantId: string | null; soaTtl: number; minimum: number }[]>`
    SELECT id, name, serial, "tenantId", "soaTtl", minimum FROM "Zone" WHERE id = ${zoneId} FOR UPDATE`;
  if (locked.length === 0) throw new NotFoundError("zone");
  return locked[0];
}

/**
 * Tells the nameservers (LISTEN zone_changed) that a zone changed; delivered at COMMIT, never
 * for a rollback. Payload "<zone id>:<serial>"; serial 0 when what is served changed without a
 * new version (zone removed, tenant suspended): the nameserver reloads and finds out.
 */
export async function notifyZoneChanged(tx: Tx, zoneId: string, serial: number): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${ZONE_CHANGED_CHANNEL}, ${`${zoneId}:${serial}`})`;
}

/** Transaction options sized for many writers queueing on one zone's lock. */
export const WRITE_TRANSACTION = { maxWait: 30_000, timeout: 60_000 } as const;

/** Applies one change set to one zone. Throws ValidationError, ConflictError or NotFoundError. */
export async function applyChangeSet(
  zoneId: string,
  changes: ChangeSet,
  actor: Actor,
  client: Db = db(),
): Promise<ChangeResult> {
  return client.$transaction((tx) => applyChangeSetInTransaction(tx, zoneId, changes, actor), WRITE_TRANSACTION);
}

/**
 * Deletes a zone with its records and journal (the domain stops being hosted). Here, in the
 * write path, because it changes what the nameservers serve: they hear of it on the same
 * channel, find the zone gone, and answer REFUSED for its names. The audit log keeps the fact.
 */
export async function removeZoneInTransaction(tx: Tx, zoneId: string, actor: Actor): Promise<void> {
  const zone = await lockZone(tx, zoneId);
  const records = await tx.record.count({ where: { zoneId } });
  await tx.zone.delete({ where: { id: zoneId } }); // records, journal and served serials cascade
  await tx.auditLog.create({
    data: {
      tenantId: zone.tenantId, actorId: actor.userId ?? null, actorLabel: actor.label, action: "zone.remove", target: zone.name,
      details: { source: actor.source, lastSerial: Number(zone.serial), records },
    },
  });
  await notifyZoneChanged(tx, zoneId, 0);
}
