// A database of its own, on the suite's PostgreSQL, migrated with the code the suite uses: for
// tests whose checks would see other test files' rows in the shared database (platform admins,
// nameserver reports). Registers its own beforeAll/afterAll; the client is there once they ran.
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { createDb, type Db } from "../../lib/db/client.ts";
import { applyMigrations } from "../../lib/db/migrate.ts";
import { uniqueLabel } from "./factories.ts";

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export function useOwnDatabase(prefix: string): { readonly client: Db } {
  const name = uniqueLabel(prefix);
  const own = { client: undefined as unknown as Db };
  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}"`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    await applyMigrations(url.toString());
    own.client = createDb(url.toString(), 2);
  }, 120_000);
  afterAll(async () => {
    await own.client?.$disconnect();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  return own;
}
