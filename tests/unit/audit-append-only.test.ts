// The audit log is append-only from the application: no code updates, deletes or truncates
// audit rows, or switches off the trigger that refuses it, and only lib/audit/audit.ts writes
// them (so every entry has the writer's shape). Like the one-write-path test, a grep over the
// sources; the database's own refusal is tested in tests/integration/audit-log.test.ts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WRITER = "lib/audit/audit.ts";
const FOLDERS = ["lib", "app", "scripts", "nameserver", "bench"];

// The table by name in SQL, quoted as PostgreSQL needs it (`"AuditLog"`, perhaps schema-
// qualified, perhaps with its quotes escaped inside a JS string).
const TABLE = String.raw`(?:ONLY\s+)?(?:"?\w+"?\.)?\\?"AuditLog\\?"`;

/** Changing or removing entries: refused everywhere, the writer included. */
const CHANGES: RegExp[] = [
  /\.\s*auditLog\s*\.\s*(update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)\b/,
  /\[\s*["'`]auditLog["'`]\s*\]/, // client["auditLog"]: the same, out of a grep's sight
  new RegExp(String.raw`\b(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?|ALTER\s+TABLE|DROP\s+TABLE(\s+IF\s+EXISTS)?)\s+${TABLE}`, "i"),
  /\bTRUNCATE\b[^;`'"]*(?:"\w+"[^;`'"]*)*\\?"AuditLog\\?"/i, // TRUNCATE "Zone", "AuditLog"
  // Switching the append-only trigger off, or every trigger of the session.
  /AuditLog_append_only|audit_log_append_only|DISABLE\s+TRIGGER|session_replication_role/i,
];

/** Writing entries: only the writer. */
const WRITES: RegExp[] = [/\.\s*auditLog\s*\.\s*(create|createMany|createManyAndReturn)\b/, new RegExp(String.raw`\bINSERT\s+INTO\s+${TABLE}`, "i"), /\bCOPY\s+\\?"AuditLog/i];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((entry) => {
    const rel = path.join(dir, entry);
    if (["node_modules", "generated", ".next"].includes(entry)) return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx|js|mjs|cjs|sql)$/.test(entry) ? [rel] : [];
  });
}

const sources = () =>
  FOLDERS.flatMap((d) => {
    try {
      return sourceFiles(d);
    } catch {
      return [];
    }
  }).map((file) => ({ file, text: readFileSync(path.join(ROOT, file), "utf8") }));

const matches = (patterns: RegExp[], text: string) => patterns.some((p) => p.test(text));

describe("the audit log is append-only", () => {
  it("the patterns catch what they are for", () => {
    const changes = [
      "await db().auditLog.update({ where: { id }, data: {} })",
      "tx.auditLog.deleteMany({})",
      "client . auditLog . upsert(",
      'client["auditLog"].delete(',
      'await client.$executeRaw`UPDATE "AuditLog" SET target = ${t}`',
      "await client.$executeRawUnsafe('DELETE FROM \"AuditLog\" WHERE id = $1', id)",
      'await client.$executeRaw`delete from public."AuditLog"`',
      'TRUNCATE "AuditLog"',
      'TRUNCATE TABLE ONLY "AuditLog"',
      'TRUNCATE "Zone", "Record", "AuditLog" CASCADE',
      'ALTER TABLE "AuditLog" DISABLE TRIGGER ALL',
      'DROP TRIGGER "AuditLog_append_only" ON "AuditLog"',
      "SET session_replication_role = replica",
    ];
    expect(changes.filter((c) => !matches(CHANGES, c))).toEqual([]);
    const writes = ["tx.auditLog.create({ data })", "client.auditLog.createMany({ data: [] })", 'INSERT INTO "AuditLog" (id) VALUES ($1)', 'COPY "AuditLog" FROM STDIN'];
    expect(writes.filter((w) => !matches(WRITES, w))).toEqual([]);
    // Reading is fine.
    const reads = ["client.auditLog.findMany({})", "client.auditLog.findFirst({})", 'SELECT * FROM "AuditLog"', "// entries are never changed: no update of AuditLog rows"];
    expect(reads.filter((r) => matches(CHANGES, r) || matches(WRITES, r))).toEqual([]);
  });

  it("no code changes, removes or truncates audit rows, or turns the trigger off", () => {
    const all = sources();
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter(({ text }) => matches(CHANGES, text)).map(({ file }) => file)).toEqual([]);
  });

  it(`only ${WRITER} writes audit rows`, () => {
    const all = sources();
    expect(all.filter(({ file, text }) => file !== WRITER && matches(WRITES, text)).map(({ file }) => file)).toEqual([]);
    expect(matches(WRITES, readFileSync(path.join(ROOT, WRITER), "utf8"))).toBe(true);
  });
});
