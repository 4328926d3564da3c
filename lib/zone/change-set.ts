// THE write path for zone data. Every change to records — panel, API, CLI, registry, zone
// import, DNS UPDATE — is a change set applied here, and no other module writes records
// (tests/unit/one-write-path.test.ts greps for that).
//
//   validate every record with the per-type zod schemas          (no database yet)
//   BEGIN
//     lock the zone row (SELECT ... FOR UPDATE): change sets on one zone run one at a time
//     a tenant's zone: refuse if the tenant is suspended (lib/tenancy/tenant-writes.ts)
//     resolve removals/updates, refusing stale versions (no silent overwrite)
//     check the zone rules on the records as they will be, and the records quota
//     write records
//     a tenant's zone: lock the tenant's row; suspension, records quota, change sets per
//       minute checked again under that lock (lib/tenancy/quotas.ts)
//     serial = nextSerial(serial); journal entry; audit entry
//     NOTIFY zone_changed '<zone id>:<serial>'   (delivered at COMMIT, never for a rollback)
//   COMMIT
//
// One change set = one serial bump, whatever its size; a rejected change set writes nothing.
// Size is the reason for the shape of the code below: a zone import is ONE change set of up to
// 100,000 records, so nothing inside the transaction costs a query per added or removed record,
// or anything quadratic (updates still cost one statement each: an edit chain such as TXT "a"
// -> "b" plus "b" -> "c" must not trip the unique index midway). A big change set is validated
// before BEGIN; the database is asked with one query per step (lists bound as one JSON
// parameter); new records go in chunks of INSERT ... SELECT;
// the journal entry is written from the JSON already built. Measured on this 2-core machine
// under heavy load from other work: 100,000 adds commit in 14-21 s (about 4 s of Node CPU and
// 4-5 s of PostgreSQL CPU, a third of it the per-row foreign-key check); they used to fail.
import { randomBytes } from "node:crypto";
import { Prisma } from "../generated/prisma/client.ts";
import { db, type Db } from "../db/client.ts";
import { hostingConfig } from "../config.ts";
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from "../errors.ts";
import { isInZone, NameError, resolveOwnerName } from "../dns/names.ts";
import { validateRecord, type NormalizedRecord, type RecordInput } from "../records/record-input.ts";
import { RECORD_TYPE_SPECS } from "../records/types.ts";
import { checkZoneRules, rememberTargets, targetsOf, type ViewRecord, type ZoneView } from "./rules.ts";
import { nextSerial } from "./serial.ts";
import { cacheHorizon } from "./caching.ts";
import { audit, actorFields } from "../audit/audit.ts";
import { isPlatformWrite, readTenantForWrite, refuseSuspendedWrite, tenantForWrite } from "../tenancy/tenant-writes.ts";
import { refuseOverChangeRate, refuseOverRecordsQuota } from "../tenancy/quotas.ts";

export const ZONE_CHANGED_CHANNEL = "zone_changed";

export type ChangeSource = "panel" | "api" | "cli" | "registry" | "dns-update" | "import" | "system";

export interface Actor {
  userId?: string | null;
  /** Who, for the journal: an email, "cli", "registry"... */
  label: string;
  source: ChangeSource;
  /** The client's IP address, for the audit log (panel and API requests). */
  clientAddress?: string | null;
  /**
   * A platform admin acting in the panel (lib/zone/actors.ts): a tenant's suspension does not
   * stop them (lib/tenancy/tenant-writes.ts); quotas and the rate limit still apply.
   */
  platformAdmin?: boolean;
  /**
   * The tenant the caller checked permissions in (panel and API edits). The permission check
   * reads the zone before the write path locks it; should the domain move to another tenant in
   * between (lib/tenancy/domain-move.ts), the change set is refused as "domain not found"
   * rather than written into the other tenant's zone.
   */
  forTenantId?: string;
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

/** A valid change set; records to write carry their origin in the change set (error paths). */
interface PreparedChange {
  adds: { record: ViewRecord }[];
  updates: { id: string; version: number; record: ViewRecord }[];
  removals: { removal: RecordRemoval; origin: (string | number)[] }[];
}

/**
 * The record as the rules will see it. Its targets are known from the fields just validated;
 * handing them over spares the rules parsing its content again (50,000 MX and CNAME records
 * of an import took 0.5 s to re-parse).
 */
function viewRecord(v: { record: NormalizedRecord; fields: Record<string, unknown> }, zone: string, origin: (string | number)[]): ViewRecord {
  const record: ViewRecord = { ...v.record, origin };
  if (record.type === "MX" || record.type === "NS" || record.type === "SRV" || record.type === "CNAME") {
    rememberTargets(record, zone, RECORD_TYPE_SPECS[record.type].targets(v.fields));
  }
  return record;
}

/** Validates each record of the change set on its own (no database). Throws ValidationError. */
function prepare(zone: string, changes: ChangeSet, defaultTtl: number): PreparedChange {
  const issues: FieldIssue[] = [];
  const prepared: PreparedChange = { adds: [], updates: [], removals: [] };
  (changes.add ?? []).forEach((input, i) => {
    const v = validateRecord(input, zone, defaultTtl);
    if (v.ok) prepared.adds.push({ record: viewRecord(v, zone, ["add", i]) });
    else issues.push(...v.issues.map((x) => ({ ...x, path: ["add", i, ...x.path] })));
  });
  (changes.update ?? []).forEach((u, i) => {
    const v = validateRecord(u.record, zone, defaultTtl);
    if (v.ok) prepared.updates.push({ id: u.id, version: u.version, record: viewRecord(v, zone, ["update", i, "record"]) });
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
  // Lock first: everything below sees the zone as no one else can change it until COMMIT.
  const zone = await lockZone(tx, zoneId);
  const prepared = prepare(zone.name, changes, hostingConfig().defaultTtl);
  return applyPrepared(tx, zone, prepared, actor);
}

/** A stored record as the raw queries below read it. */
interface RecordRow {
  id: string;
  name: string;
  type: string;
  ttl: number;
  content: string;
  version: number;
}

/**
 * Lists (ids, names, records) go to PostgreSQL as ONE parameter holding JSON text, unpacked
 * there (json_array_elements_text, json_to_recordset): never a parameter per value, so a change
 * set of any size stays far below PostgreSQL's 65,535 bind parameters, and never Prisma's array
 * parameters, which cost about 10 us of JavaScript per element (measured: 100,000 names took
 * 0.9-1.5 s of CPU as arrays, 0.35 s as JSON text). A list of one name costs the same as before.
 */
const jsonText = (values: unknown[]) => JSON.stringify(values);
const textList = (values: string[]) => Prisma.sql`(SELECT json_array_elements_text(${jsonText(values)}::json))`;

/**
 * Rows per INSERT of new records: bounds the size of one statement (10,000 rows is about 1 MB of
 * JSON) without costing round trips worth counting.
 */
const INSERT_CHUNK = 10_000;

/** The change set is valid on its own and the zone row is locked: check it against the zone, write. */
async function applyPrepared(tx: Tx, zone: LockedZone, prepared: PreparedChange, actor: Actor): Promise<ChangeResult> {
  const zoneId = zone.id;
  const issues: FieldIssue[] = [];
  if (actor.forTenantId !== undefined && zone.tenantId !== actor.forTenantId) throw new NotFoundError("domain");

  // A tenant's zone, changed by anyone but the platform itself: its suspension and quotas
  // apply. Read without a lock first, so a refused change set is refused before any work; the
  // row is locked and everything checked again just before the journal entry (below).
  const limited = zone.tenantId !== null && !isPlatformWrite(actor);
  const tenantBefore = limited ? await readTenantForWrite(tx, zone.tenantId!, { lock: false }) : null;
  if (tenantBefore) refuseSuspendedWrite(tenantBefore, actor);

  // Resolve what goes away (removals and the old side of updates). Every lookup below is one
  // query whatever the change set's size (its list bound as one JSON parameter), never a query
  // per record: removing 100,000 records by name used to mean 100,000 queries.
  const removed = new Map<string, StoredRecord>();
  const idsWanted = [
    ...prepared.updates.map((u) => u.id),
    ...prepared.removals.flatMap((r) => ("id" in r.removal ? [r.removal.id] : [])),
  ];
  const byId = new Map(
    (idsWanted.length
      ? await tx.$queryRaw<RecordRow[]>`
          SELECT id, name, type, ttl, content, version FROM "Record"
          WHERE "zoneId" = ${zoneId} AND id IN ${textList(idsWanted)}`
      : []
    ).map((r) => [r.id, toStored(r)]),
  );
  const byKey = await findByNameAndType(tx, zoneId, prepared.removals.flatMap((r) => ("id" in r.removal ? [] : [r.removal])));
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
      const matches = byKey.get(removalKey(removal.name, removal.type, removal.content)) ?? [];
      if (matches.length === 0) {
        issues.push({ path: origin, message: `no ${removal.type} record${removal.content ? ` "${removal.content}"` : ""} at ${removal.name}` });
      }
      for (const m of matches) removed.set(m.id, m);
    }
  }

  // Build the view: records as they will be at every name the change touches or points at.
  const added: ViewRecord[] = [...prepared.adds.map((a) => a.record), ...prepared.updates.map((u) => u.record)];
  const touched = new Set<string>(added.map((r) => r.name));
  for (const r of removed.values()) touched.add(r.name);
  const loadNames = new Set(touched);
  for (const r of added) for (const t of targetsOf(r, zone.name)) if (isInZone(t, zone.name)) loadNames.add(t);
  const existing = loadNames.size
    ? await tx.$queryRaw<RecordRow[]>`
        SELECT id, name, type, ttl, content, version FROM "Record"
        WHERE "zoneId" = ${zoneId} AND name IN ${textList([...loadNames])}`
    : [];
  // Records elsewhere that point at a name which now gets a CNAME (MX/NS/SRV targets). The
  // target is the last field of the stored content: after a space for MX ("10 x.") and SRV
  // ("0 0 5 x."), the whole content for NS ("x."), which has no space before it. One query
  // for all the new CNAMEs (an import may bring 25,000 of them).
  const newCnames = added.filter((r) => r.type === "CNAME").map((r) => `${r.name}.`);
  const pointing = newCnames.length
    ? await tx.$queryRaw<RecordRow[]>`
        SELECT id, name, type, ttl, content, version FROM "Record"
        WHERE "zoneId" = ${zoneId} AND type IN ('MX', 'NS', 'SRV')
          AND (CASE WHEN type = 'NS' THEN content ELSE substring(content from '[^ ]+$') END) IN ${textList(newCnames)}`
    : [];
  const view: ZoneView = new Map();
  const put = (r: ViewRecord) => {
    const list = view.get(r.name);
    if (list) list.push(r);
    else view.set(r.name, [r]);
  };
  const seenIds = new Set<string>();
  for (const r of [...existing, ...pointing]) {
    if (removed.has(r.id) || seenIds.has(r.id)) continue;
    seenIds.add(r.id);
    put(toStored(r));
  }
  for (const name of loadNames) if (!view.has(name)) view.set(name, []);
  added.forEach(put);
  issues.push(...checkZoneRules(zone.name, view, touched));

  // The records quota is a tenant's; the registry's parent zones (no tenant) grow with
  // registrations. Counted under the zone's lock: no other change set of this zone is in flight.
  const records = { before: 0, after: 0 };
  if (limited) {
    const [{ count }] = await tx.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM "Record" WHERE "zoneId" = ${zoneId}`;
    records.before = count;
    records.after = count + prepared.adds.length - (removed.size - prepared.updates.length);
  }
  if (issues.length) throw new ValidationError(issues);
  if (tenantBefore) refuseOverRecordsQuota(tenantBefore, actor, zone.name, records.before, records.after);

  // Write. Updates keep their id and move to the next version.
  const updatedIds = new Set(prepared.updates.map((u) => u.id));
  const removeIds = [...removed.keys()].filter((id) => !updatedIds.has(id));
  if (removeIds.length) await tx.$executeRaw`DELETE FROM "Record" WHERE "zoneId" = ${zoneId} AND id IN ${textList(removeIds)}`;
  const addedRows: StoredRecord[] = [];
  for (const u of prepared.updates) {
    const row = await tx.record.update({ where: { id: u.id }, data: { ...plain(u.record), version: { increment: 1 } } });
    addedRows.push(toStored(row));
  }
  const updatedRows = addedRows.length;
  const inserted = await insertRecords(tx, zoneId, prepared.adds.map((a) => a.record));
  addedRows.push(...inserted.records);

  // What resolvers may have cached: the RRsets touched, as they were before this change.
  const touchedRRsets = [...addedRows, ...removed.values()];
  const cacheSeconds = cacheHorizon(touchedRRsets, existing.filter((r) => touched.has(r.name)), Math.min(zone.soaTtl, zone.minimum));

  if (limited) {
    // The tenant's row stays locked until COMMIT (tenantForWrite), so the tenant's change sets
    // count and journal one after the other: two of them racing at the rate limit cannot both
    // see room for one more, while other tenants' change sets never wait. A lock on the row
    // rather than an advisory lock: a suspension or a quota change (an UPDATE of that row)
    // waits for it too, so no change set commits after a suspension has; and the lock is taken
    // this late so that the records of a big change set are written without holding it.
    // Still all or nothing: a refusal here rolls back the records written above. Every writer
    // takes a zone's row before its tenant's (lib/tenancy/domain-move.ts too); a transaction
    // that changed two zones of one tenant would have to lock both zones first (none does).
    const tenant = await tenantForWrite(tx, zone.tenantId!, actor);
    refuseOverRecordsQuota(tenant, actor, zone.name, records.before, records.after);
    await refuseOverChangeRate(tx, tenant, actor);
  }
  const oldSerial = Number(zone.serial);
  const serial = nextSerial(oldSerial);
  await tx.zone.update({ where: { id: zoneId }, data: { serial: BigInt(serial) } });
  const removedList = [...removed.values()];
  // The journal entry, which the nameserver applies as a delta: {id,name,type,ttl,content}
  // per record added and removed. Written with SQL and JSON.stringify: Prisma's create walked
  // the 100,000 objects of an import for 6 s; this takes a fraction of a second.
  const changeId = newId();
  const entry = (r: StoredRecord) => ({ id: r.id, ...plain(r) });
  // The inserted rows were sent as JSON of exactly these entries: reuse that text rather than
  // serialise 100,000 objects twice. Updates come first, as in ChangeResult.added.
  const addedJson = `[${[jsonText(addedRows.slice(0, updatedRows).map(entry)), ...inserted.json]
    .map((list) => list.slice(1, -1))
    .filter((items) => items !== "")
    .join(",")}]`;
  await tx.$executeRaw`
    INSERT INTO "ZoneChange" (id, "zoneId", "oldSerial", "newSerial", "actorId", "actorLabel", source, added, removed, "cacheSeconds", "createdAt")
    VALUES (${changeId}, ${zoneId}, ${BigInt(oldSerial)}, ${BigInt(serial)}, ${actor.userId ?? null}, ${actor.label}, ${actor.source},
            ${addedJson}::jsonb, ${jsonText(removedList.map(entry))}::jsonb, ${cacheSeconds}, ${NOW_UTC})`;
  await audit(tx, {
    tenantId: zone.tenantId,
    ...actorFields(actor),
    action: "zone.change",
    target: zone.name,
    details: { source: actor.source, changeId, oldSerial, serial, added: addedRows.length, removed: removedList.length, ...(actor.platformAdmin ? { platformAdmin: true } : {}) },
  });
  await notifyZoneChanged(tx, zoneId, serial);
  return { zoneId, zoneName: zone.name, oldSerial, serial, added: addedRows, removed: removedList, changeId, cacheSeconds };
}

const removalKey = (name: string, type: string, content: string | undefined) => `${name}\t${type}\t${content ?? ""}`;

/**
 * The records matching removals given by name and type (and content, when given), in one
 * query: keyed by removalKey of the removal they match.
 */
async function findByNameAndType(tx: Tx, zoneId: string, removals: { name: string; type: string; content?: string }[]) {
  const byKey = new Map<string, StoredRecord[]>();
  if (!removals.length) return byKey;
  const keys = removals.map((x) => ({ name: x.name, type: x.type, content: x.content ?? null }));
  const rows = await tx.$queryRaw<RecordRow[]>`
    SELECT DISTINCT r.id, r.name, r.type, r.ttl, r.content, r.version
    FROM "Record" r
    JOIN json_to_recordset(${jsonText(keys)}::json) AS k(name text, type text, content text)
      ON r.name = k.name AND r.type = k.type AND (k.content IS NULL OR r.content = k.content)
    WHERE r."zoneId" = ${zoneId}`;
  const add = (key: string, row: StoredRecord) => {
    const list = byKey.get(key);
    if (list) list.push(row);
    else byKey.set(key, [row]);
  };
  // A row answers both "every <type> at <name>" and "<type> <content> at <name>".
  for (const row of rows.map(toStored)) {
    add(removalKey(row.name, row.type, undefined), row);
    add(removalKey(row.name, row.type, row.content), row);
  }
  return byKey;
}

/**
 * Inserts new records in chunks of INSERT_CHUNK rows, one statement each (INSERT ... SELECT FROM
 * json_to_recordset). Ids are made here, so the stored records are known without reading
 * 100,000 rows back (RETURNING) or relying on the order it would return them in. Returns the
 * records and the JSON sent per chunk: arrays of {id, name, type, ttl, content}, the journal's
 * entry shape.
 */
async function insertRecords(tx: Tx, zoneId: string, records: NormalizedRecord[]): Promise<{ records: StoredRecord[]; json: string[] }> {
  const stored: StoredRecord[] = [];
  const json: string[] = [];
  for (let i = 0; i < records.length; i += INSERT_CHUNK) {
    const entries = records.slice(i, i + INSERT_CHUNK).map((r) => ({ id: newId(), ...plain(r) }));
    const text = jsonText(entries);
    const inserted = await tx.$executeRaw`
      INSERT INTO "Record" (id, "zoneId", name, type, ttl, content, version, "createdAt", "updatedAt")
      SELECT k.id, ${zoneId}, k.name, k.type, k.ttl, k.content, 1, ${NOW_UTC}, ${NOW_UTC}
      FROM json_to_recordset(${text}::json) AS k(id text, name text, type text, ttl int, content text)`;
    if (inserted !== entries.length) throw new Error(`inserted ${inserted} of ${entries.length} records`);
    for (const e of entries) stored.push({ ...e, version: 1 });
    json.push(text);
  }
  return { records: stored, json };
}

/**
 * "Now" for rows written with SQL, in UTC as Prisma writes DateTime columns (they have no time
 * zone). The statement's start, not the transaction's: the lock may have been waited for, and
 * journal entries must be in the order of their serials, as Prisma's own timestamps were.
 */
const NOW_UTC = Prisma.sql`(statement_timestamp() AT TIME ZONE 'UTC')`;

/**
 * An id in the shape of Prisma's cuid() (which the schema's @default uses for rows Prisma
 * creates): "c", the time in base 36, a per-process counter, random characters; 25 in all.
 * Ids of one process sort by creation, like cuids.
 */
let idCounter = 0;
// Random bytes drawn 8 KiB at a time: one call per id would cost more than the rest of it.
let entropy = Buffer.alloc(0);
let entropyAt = 0;
function newId(): string {
  if (entropyAt + 8 > entropy.length) {
    entropy = randomBytes(8192);
    entropyAt = 0;
  }
  const random = entropy.readBigUInt64BE(entropyAt).toString(36).padStart(13, "0").slice(-12);
  entropyAt += 8;
  idCounter = (idCounter + 1) % 36 ** 4;
  return `c${Date.now().toString(36).padStart(8, "0")}${idCounter.toString(36).padStart(4, "0")}${random}`;
}

interface LockedZone {
  id: string;
  name: string;
  serial: bigint;
  tenantId: string | null;
  soaTtl: number;
  minimum: number;
}

/** Locks the zone row until COMMIT (SELECT ... FOR UPDATE): writers of one zone take turns. */
async function lockZone(tx: Tx, zoneId: string): Promise<LockedZone> {
  const locked = await tx.$queryRaw<LockedZone[]>`
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

/**
 * Transaction options sized for many writers queueing on one zone's lock. The 60 s timeout is a
 * bound, not a budget: with validation before BEGIN and set-based SQL, a 100,000-record import
 * spends about 5-10 s of database work inside the transaction on this 2-core machine (measured;
 * it used to hit this timeout), and it also covers the time a writer waits for the zone's lock
 * behind such an import.
 */
export const WRITE_TRANSACTION = { maxWait: 30_000, timeout: 60_000 } as const;

/**
 * From this many records on, a change set is validated before BEGIN. Validation needs only the
 * zone's name, and a zone import's 100,000 records take a while to check (0.4 s of CPU, seconds
 * on a busy machine): time better not spent holding the zone's lock and a pooled connection
 * inside a transaction with a timeout. A small change set is validated under the lock as
 * before, which spares the usual one-record edit a query for the name (its validation takes
 * microseconds).
 */
const VALIDATE_BEFORE_BEGIN_FROM = 100;

/** Applies one change set to one zone. Throws ValidationError, ConflictError or NotFoundError. */
export async function applyChangeSet(
  zoneId: string,
  changes: ChangeSet,
  actor: Actor,
  client: Db = db(),
): Promise<ChangeResult> {
  const size = (changes.add?.length ?? 0) + (changes.update?.length ?? 0) + (changes.remove?.length ?? 0);
  if (size < VALIDATE_BEFORE_BEGIN_FROM) {
    return client.$transaction((tx) => applyChangeSetInTransaction(tx, zoneId, changes, actor), WRITE_TRANSACTION);
  }
  const found = await client.zone.findUnique({ where: { id: zoneId }, select: { name: true } });
  if (!found) throw new NotFoundError("zone");
  const defaultTtl = hostingConfig().defaultTtl;
  const prepared = prepare(found.name, changes, defaultTtl);
  return client.$transaction(async (tx) => {
    const zone = await lockZone(tx, zoneId);
    // A zone's name never changes; should that ever stop being true, validate against the
    // locked row rather than trust what was read before BEGIN.
    return applyPrepared(tx, zone, zone.name === found.name ? prepared : prepare(zone.name, changes, defaultTtl), actor);
  }, WRITE_TRANSACTION);
}

/**
 * Deletes a zone with its records and journal (the domain stops being hosted). Here, in the
 * write path, because it changes what the nameservers serve: they hear of it on the same
 * channel, find the zone gone, and answer REFUSED for its names. The audit log keeps the fact.
 */
export async function removeZoneInTransaction(tx: Tx, zoneId: string, actor: Actor): Promise<void> {
  const zone = await lockZone(tx, zoneId);
  if (zone.tenantId !== null) await tenantForWrite(tx, zone.tenantId, actor); // refused while suspended
  const records = await tx.record.count({ where: { zoneId } });
  await tx.zone.delete({ where: { id: zoneId } }); // records, journal and served serials cascade
  await audit(tx, {
    tenantId: zone.tenantId, ...actorFields(actor), action: "zone.remove", target: zone.name,
    details: { source: actor.source, lastSerial: Number(zone.serial), records },
  });
  await notifyZoneChanged(tx, zoneId, 0);
}
