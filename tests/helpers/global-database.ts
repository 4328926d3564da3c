// Once per test run: a real PostgreSQL for the suite. With DATABASE_URL set, a fresh database
// is created on that server; otherwise an embedded PostgreSQL starts in a temporary folder.
// Migrations are applied either way, with the same code `npm start` uses.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../lib/db/embedded-postgres.ts";
import { applyMigrations } from "../../lib/db/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  let url: string;
  let teardown: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const name = `test_${Date.now()}_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    teardown = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), "dns-test-db-"));
    const database = await startEmbeddedPostgres({ dataDir: dir });
    url = database.url;
    teardown = async () => {
      await database.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  await applyMigrations(url);
  project.provide("databaseUrl", url);
  return teardown;
}
