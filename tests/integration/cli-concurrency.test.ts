// 50 operators' `npm run cli -- record add` at once on one zone, against the embedded database
// the way `npm start` leaves it running (DATA_DIR, EMBEDDED_PG_PORT, no DATABASE_URL): every one
// succeeds, and the zone's serial moves 50 times. Each run used to apply the migrations through
// the schema engine, whose advisory lock times out after 10 s: 40 of 50 failed. Now a run only
// asks the database whether a migration is pending (lib/db/migrate.ts).
//
// 50 processes on two cores take minutes: the timeout is generous, nothing waits on a timer.
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client.ts";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../lib/db/embedded-postgres.ts";
import { applyMigrations } from "../../lib/db/migrate.ts";
import { createHostedDomain } from "../../lib/domains.ts";
import { TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RUNS = 50;
const run = promisify(execFile);

let dataDir: string;
let database: EmbeddedDatabase | undefined;
let client: Db | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "dns-cli-concurrency-"));
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as its own OS user
  // Where openDatabase() looks for the embedded database of DATA_DIR.
  database = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres") });
  await applyMigrations(database.url);
  client = createDb(database.url, 2);
}, 120_000);

afterAll(async () => {
  await client?.$disconnect().catch(() => {});
  await database?.stop().catch(() => {});
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("concurrent CLI runs", () => {
  it(`${RUNS} record adds at once on one zone all succeed, one serial bump each`, async () => {
    const tenant = await client!.tenant.create({ data: { slug: uniqueLabel("cc"), name: "concurrency" } });
    const zone = `${uniqueLabel("cc")}.example`;
    const { zoneId } = await createHostedDomain({ tenantId: tenant.id, name: zone }, TEST_ACTOR, client!);
    const before = await client!.zone.findUniqueOrThrow({ where: { id: zoneId } });

    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(database!.port), NODE_ENV: "development" };
    delete env.DATABASE_URL;
    const startedAt = Date.now();
    const results = await Promise.all(
      Array.from({ length: RUNS }, (_, i) =>
        run(process.execPath, ["--import", "tsx", "scripts/cli.ts", "record", "add", zone, `r${i}`, "A", "300", `192.0.2.${i + 1}`], { cwd: ROOT, env }).then(
          () => "ok",
          (e: { stderr?: string; message: string }) => (e.stderr || e.message).trim(),
        ),
      ),
    );
    console.log(`${RUNS} concurrent CLI record adds took ${Date.now() - startedAt} ms`);
    expect(results.filter((r) => r !== "ok")).toEqual([]);

    const changes = await client!.zoneChange.findMany({ where: { zoneId, source: "cli" }, orderBy: { createdAt: "asc" } });
    expect(changes).toHaveLength(RUNS);
    expect(new Set(changes.map((c) => c.newSerial)).size).toBe(RUNS);
    expect(await client!.record.count({ where: { zoneId, type: "A" } })).toBe(RUNS);
    const after = await client!.zone.findUniqueOrThrow({ where: { id: zoneId } });
    expect(after.serial).not.toBe(before.serial);
  }, 15 * 60_000);
});
