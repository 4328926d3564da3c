// Applies prisma/migrations/* to a database, recording them in Prisma's `_prisma_migrations`
// table exactly as `prisma migrate deploy` would (so either tool can take over later).
import { readdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { openSchemaEngine } from "./schema-engine.ts";

export const PRISMA_DIR = path.resolve(import.meta.dirname, "../../prisma");
const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");

export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const schemaText = await readFile(SCHEMA_PATH, "utf8");
  const engine = await openSchemaEngine(databaseUrl, SCHEMA_PATH, schemaText);
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8") },
      },
    })),
  );
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
