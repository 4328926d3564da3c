// Writes the next migration: the SQL that takes the schema as of the last migration to the
// current prisma/schema.prisma. Usage: npm run db:diff -- <name>
//
// The wasm migration engine cannot read a schema back from a database (see
// docs/decisions/002-...), so each migration folder keeps a copy of the schema it was made from
// (schema.prisma beside migration.sql) and the next diff starts from that copy.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openSchemaEngine } from "../lib/db/schema-engine.ts";
import { PRISMA_DIR } from "../lib/db/migrate.ts";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres.ts";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- <name_in_snake_case>");
  process.exit(2);
}
const migrationsDir = path.join(PRISMA_DIR, "migrations");
await mkdir(migrationsDir, { recursive: true });
const previous = (await readdir(migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort().at(-1);
const schemaPath = path.join(PRISMA_DIR, "schema.prisma");
const current = await readFile(schemaPath, "utf8");
// The engine wants a live connection even for a datamodel-to-datamodel diff: use a throwaway one.
const scratch = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: await mkdtemp(path.join(os.tmpdir(), "db-diff-")) });
const engine = await openSchemaEngine(process.env.DATABASE_URL ?? scratch!.url, schemaPath, current);
const from = previous
  ? { tag: "schemaDatamodel", files: [{ path: schemaPath, content: await readFile(path.join(migrationsDir, previous, "schema.prisma"), "utf8") }] }
  : { tag: "empty" };
const result = await engine.diff({
  from,
  to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: current }] },
  script: true,
  exitCode: null,
  filters: { externalTables: [], externalEnums: [] },
} as never);
const sql = (result as { stdout: string }).stdout;
await scratch?.stop();
if (!sql.trim() || /empty migration/i.test(sql)) {
  console.log("schema unchanged: no migration written");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
await mkdir(dir);
await writeFile(path.join(dir, "migration.sql"), sql);
await writeFile(path.join(dir, "schema.prisma"), current);
await writeFile(path.join(migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
process.exit(0);
