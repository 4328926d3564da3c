// Applies prisma/migrations/* to a database, recording them in Prisma's `_prisma_migrations`
// table exactly as `prisma migrate deploy` would (so either tool can take over later).
//
// The schema engine takes a PostgreSQL advisory lock and waits for it at most 10 s, and loading
// it costs about a second of CPU: 50 CLI runs at once, each migrating, failed 40 times out of 50.
// So entry points call applyPendingMigrations, which first asks the database in one plain query
// whether every migration folder is recorded as applied, with the same checksum, and runs the
// engine only when one is not (or the table does not exist yet).
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { PRISMA_DIR } from "./paths.ts";

export { PRISMA_DIR };
const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");

async function migrationFolders(): Promise<{ name: string; sql: string }[]> {
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(names.map(async (name) => ({ name, sql: await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8") })));
}

/**
 * The migrations the database has not applied: folders with no finished, not rolled back row in
 * `_prisma_migrations`, or whose migration.sql changed since (Prisma's checksum is the SHA-256 of
 * the file; the engine then says what is wrong). All of them when the table does not exist.
 */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const folders = await migrationFolders();
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    return folders.filter((f) => applied.get(f.name) !== createHash("sha256").update(f.sql).digest("hex")).map((f) => f.name);
  } catch (e) {
    if ((e as { code?: string }).code === "42P01") return folders.map((f) => f.name); // no table: a new database
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Applies migrations only when pendingMigrations finds any; returns the names applied. */
export async function applyPendingMigrations(databaseUrl: string): Promise<string[]> {
  if ((await pendingMigrations(databaseUrl)).length === 0) return [];
  return applyMigrations(databaseUrl);
}

/** Runs Prisma's schema engine over every migration folder (it applies the ones not yet applied). */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const schemaText = await readFile(SCHEMA_PATH, "utf8");
  // Loaded on demand: the engine is a large WebAssembly module most runs never need.
  const { openSchemaEngine } = await import("./schema-engine.ts");
  const engine = await openSchemaEngine(databaseUrl, SCHEMA_PATH, schemaText);
  const migrationDirectories = (await migrationFolders()).map(({ name, sql }) => ({
    path: name,
    migrationFile: { path: "migration.sql", content: { tag: "ok", value: sql } },
  }));
  const lockPath = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  const result = await engine.applyMigrations({
    migrationsList: {
      baseDir: MIGRATIONS_DIR,
      lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null },
      shadowDbInitScript: "",
      migrationDirectories,
    },
    filters: { externalTables: [], externalEnums: [] },
  } as never);
  return (result as { appliedMigrationNames: string[] }).appliedMigrationNames;
}
