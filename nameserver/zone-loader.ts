// Reads zones and journal entries for the nameserver, without ever stalling the answering.
//
// The nameserver answers on the same thread that loads: a load that parsed 100,000 rows and
// built their index in one go held every query for seconds. So:
//   - whole zones are streamed with COPY ... TO STDOUT (text lines, no per-row protocol
//     objects: a third of the cost of a SELECT's rows), and the thread yields after each chunk
//     of about 64 KB (setImmediate: pending queries are answered first); the new index is
//     built aside and only swapped in, complete, by the caller;
//   - zone fields and records are read in one REPEATABLE READ snapshot, so the serial and the
//     records always belong together;
//   - records are kept as stored content (nameserver/zone-index.ts): no parsing at load time;
//   - a change set reaches us as the journal entry written in its transaction (ZoneChange),
//     read by the serial we serve. A very large one (an import) is loaded like a whole zone
//     instead: applying 100,000 records in place would hold the thread, and the swap of a
//     finished index is the only change that is atomic and cheap.
// Plain `pg` and pg-copy-streams, not Prisma: COPY, and JSON sized in SQL.
import { StringDecoder } from "node:string_decoder";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { RECORD_TYPES } from "../lib/records/types.ts";
import type { SoaFields } from "../lib/zone/zone-file.ts";
import { ZoneIndex, type ZoneComparison, type ZoneDelta } from "./zone-index.ts";

/** A journal entry with more records than this is loaded as a whole zone (see above). */
export const DELTA_MAX_RECORDS = 5_000;

const yieldToQueries = () => new Promise<void>((resolve) => setImmediate(resolve));

type ZoneFieldsRow = [string, string, string, number, string, string, number, number, number, number];

/**
 * A zone as it is now in the database: a new index, not yet served; or, for a zone we already
 * serve, the differences to apply to its index (in place, like a delta) to make it equal.
 */
export type LoadedZone =
  | { kind: "built"; zone: ZoneIndex }
  | { kind: "compared"; zone: ZoneIndex; serial: number; soa: SoaRest; delta: ZoneDelta; revision: number };

/**
 * The zones `ids` as they are now. A zone that `served` returns an index for is compared with
 * it (ZoneIndex.compare: nothing built, so no pauses for the garbage collector's copying); a
 * comparison with more than DELTA_MAX_RECORDS differences, or whose index changed meanwhile,
 * is read again and built. Ids missing from the result have no Zone row any more.
 */
export async function loadZones(pool: pg.Pool, ids: string[], served: (id: string) => ZoneIndex | undefined = () => undefined): Promise<Map<string, LoadedZone>> {
  const loaded = new Map<string, LoadedZone>();
  if (ids.length === 0) return loaded;
  const built = new Map<string, ZoneIndex>();
  const compared = new Map<string, { zone: ZoneIndex; revision: number; serial: number; soa: SoaRest; comparison: ZoneComparison }>();
  const client = await pool.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const fields = await client.query<ZoneFieldsRow>({
      text: `SELECT id, name, serial::text, "soaTtl", "primaryNs", hostmaster, refresh, retry, expire, minimum
             FROM "Zone" WHERE id = ANY($1)`,
      values: [ids],
      rowMode: "array",
    });
    for (const [id, name, serial, soaTtl, primaryNs, hostmaster, refresh, retry, expire, minimum] of fields.rows) {
      const current = served(id);
      if (current && current.name === name) {
        const soa = { soaTtl, primaryNs, hostmaster, refresh, retry, expire, minimum };
        compared.set(id, { zone: current, revision: current.revision, serial: Number(serial), soa, comparison: current.compare(DELTA_MAX_RECORDS) });
      } else built.set(id, new ZoneIndex({ name, serial: Number(serial), soaTtl, primaryNs, hostmaster, refresh, retry, expire, minimum }));
    }
    await streamRecords(client, ids, (zoneId, name, type, ttl, text, contentStart, contentEnd) => {
      const zone = built.get(zoneId);
      if (zone) zone.addRecord(name, type, ttl, text.slice(contentStart, contentEnd));
      else compared.get(zoneId)?.comparison.see(name, type, ttl, text, contentStart, contentEnd);
    });
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  for (const [id, zone] of built) {
    zone.sealLoad();
    loaded.set(id, { kind: "built", zone });
  }
  const again: string[] = [];
  for (const [id, { zone, revision, serial, soa, comparison }] of compared) {
    const delta = await comparison.differences();
    if (delta) loaded.set(id, { kind: "compared", zone, serial, soa, delta, revision });
    else again.push(id);
  }
  // Too different (an import), or changed while we compared: read again, and build.
  for (const [id, zone] of await loadZones(pool, again)) loaded.set(id, zone);
  return loaded;
}

/**
 * COPY's text format (PostgreSQL docs, "COPY", File Formats): one line per row, columns split
 * by tabs, and a backslash escapes a backslash or a control character (\b \f \n \r \t \v) in
 * a value. Stored content never has control characters (they are written \DDD, RFC 1035 §5.1),
 * so in practice only "\\" occurs; the rest are undone too, for whole lines in one go. (No
 * column here is nullable, so \N never appears.)
 */
const COPY_ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
function unescapeCopy(line: string): string {
  return line.includes("\\") ? line.replace(/\\(.)/g, (_, c: string) => COPY_ESCAPES[c] ?? c) : line;
}

/**
 * One record read: its content is text[contentStart..contentEnd), not sliced, so that a
 * comparison with what we serve allocates nothing for it (the strings of a load that only
 * compares die young, and cost V8's scavenges nothing).
 */
export type OnRecord = (zoneId: string, name: string, type: string, ttl: number, text: string, contentStart: number, contentEnd: number) => void;

/** Streams the records of `ids`, yielding to the queries every RECORDS_PER_SLICE records and after every chunk. */
async function streamRecords(client: pg.PoolClient, ids: string[], onRecord: OnRecord): Promise<void> {
  // The ids are cuids ([a-z0-9]); COPY takes no parameters, so they are checked, then quoted.
  if (!ids.every((id) => /^[A-Za-z0-9_-]+$/.test(id))) throw new Error("unexpected zone id");
  const list = ids.map((id) => `'${id}'`).join(",");
  const stream = client.query(copyTo(`COPY (SELECT "zoneId", name, type, ttl, content FROM "Record" WHERE "zoneId" IN (${list})) TO STDOUT`));
  const decoder = new StringDecoder("utf8");
  const readLine = lineReader(ids, onRecord);
  let text = "";
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    // A socket read may bring far more than one chunk's worth: index at most RECORDS_PER_SLICE
    // records between two yields, whatever the read size.
    text += decoder.write(chunk);
    let start = 0;
    let records = 0;
    for (let end = text.indexOf("\n"); end !== -1; start = end + 1, end = text.indexOf("\n", start)) {
      readLine(text, start, end);
      if (++records === RECORDS_PER_SLICE) {
        records = 0;
        await yieldToQueries();
      }
    }
    text = text.slice(start);
    await yieldToQueries();
  }
  text += decoder.end();
  for (const line of text.split("\n")) if (line) readLine(line, 0, line.length);
}

/** Records indexed between two yields to the queries: about a millisecond of work. */
const RECORDS_PER_SLICE = 1_000;

/** Record types as constants: a type read is one of these, not a new string per record. */
const KNOWN_TYPES: readonly string[] = RECORD_TYPES;

/** Reads one COPY line text[start..end) into onRecord, allocating only the owner name when it can. */
function lineReader(ids: string[], onRecord: OnRecord) {
  return (text: string, start: number, end: number) => {
    const backslash = text.indexOf("\\", start);
    if (backslash !== -1 && backslash < end) {
      // Escapes (rare: see unescapeCopy): take the line apart the simple way.
      const line = unescapeCopy(text.slice(start, end));
      return readFields(line, 0, line.length);
    }
    readFields(text, start, end);
  };

  function readFields(text: string, start: number, end: number) {
    const t1 = text.indexOf("\t", start);
    const t2 = text.indexOf("\t", t1 + 1);
    const t3 = text.indexOf("\t", t2 + 1);
    const t4 = text.indexOf("\t", t3 + 1);
    const zoneId = ids.length === 1 ? ids[0] : text.slice(start, t1);
    let type: string | undefined;
    for (const known of KNOWN_TYPES) {
      if (known.length === t3 - t2 - 1 && text.startsWith(known, t2 + 1)) {
        type = known;
        break;
      }
    }
    let ttl = 0;
    for (let i = t3 + 1; i < t4; i++) ttl = ttl * 10 + (text.charCodeAt(i) - 48);
    onRecord(zoneId, text.slice(t1 + 1, t2), type ?? text.slice(t2 + 1, t3), ttl, text, t4 + 1, end);
  }
}

/** The SOA fields besides the serial: they change with a change set (the registry's NS_NAMES sync). */
export type SoaRest = Omit<SoaFields, "name" | "serial">;

export type JournalStep =
  | { kind: "delta"; oldSerial: number; newSerial: number; delta: ZoneDelta; soa: SoaRest }
  /** There is a next change, but too big to apply in place: load the zone whole. */
  | { kind: "too-big"; newSerial: number }
  /** No change was made to this serial (we are current, or the journal cannot take us further). */
  | { kind: "none" };

/**
 * The change set made to `zoneId` at serial `fromSerial`, from the journal, with the zone's SOA
 * fields as they are now (a change set may change them along with its records; a later one may
 * already have, and then the next step brings its records too, milliseconds later). Its records
 * come back only when there are at most DELTA_MAX_RECORDS of them (the size is computed in SQL,
 * so a big entry is never transferred just to be set aside).
 */
export async function readJournalStep(pool: pg.Pool, zoneId: string, fromSerial: number): Promise<JournalStep> {
  const { rows } = await pool.query<{ newSerial: string; size: number; added: ZoneDelta["added"] | null; removed: ZoneDelta["removed"] | null } & SoaRest>({
    text: `SELECT "newSerial"::text AS "newSerial", size,
                  CASE WHEN size <= $3 THEN added END AS added,
                  CASE WHEN size <= $3 THEN removed END AS removed,
                  z."soaTtl", z."primaryNs", z.hostmaster, z.refresh, z.retry, z.expire, z.minimum
           FROM (SELECT "newSerial", added, removed, "createdAt",
                        jsonb_array_length(added) + jsonb_array_length(removed) AS size
                 FROM "ZoneChange" WHERE "zoneId" = $1 AND "oldSerial" = $2
                 ORDER BY "createdAt" DESC LIMIT 1) AS change
           JOIN "Zone" z ON z.id = $1`,
    values: [zoneId, String(fromSerial), DELTA_MAX_RECORDS],
  });
  const row = rows[0];
  if (!row) return { kind: "none" };
  const newSerial = Number(row.newSerial);
  if (row.added === null || row.removed === null) return { kind: "too-big", newSerial };
  const { soaTtl, primaryNs, hostmaster, refresh, retry, expire, minimum } = row;
  return { kind: "delta", oldSerial: fromSerial, newSerial, delta: { added: row.added, removed: row.removed }, soa: { soaTtl, primaryNs, hostmaster, refresh, retry, expire, minimum } };
}
