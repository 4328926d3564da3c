// Production runs compiled JavaScript (dist/), and with NODE_ENV=production and no DATABASE_URL
// every entry point refuses to start, with one clear line, instead of creating an empty
// embedded database.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
let dataDir: string;

beforeAll(() => {
  const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/build-server.ts"], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
  if (build.status !== 0) throw new Error(`build:server failed: ${build.stderr}`);
  dataDir = mkdtempSync(path.join(os.tmpdir(), "dns-production-"));
}, 300_000);

afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("NODE_ENV=production without DATABASE_URL", () => {
  for (const entry of ["dist/scripts/start.js", "dist/nameserver/main.js", "dist/scripts/panel-server.js", "dist/scripts/cli.js", "dist/scripts/db-migrate.js"]) {
    it(`${entry} refuses to start`, () => {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, EMBEDDED_PG_PORT: "1", DNS_PORT: "0", PORT: "0", METRICS_PORT: "off" };
      delete env.DATABASE_URL;
      const args = entry.endsWith("cli.js") ? ["domain", "ls"] : [];
      const r = spawnSync(process.execPath, [entry, ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 120_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/NODE_ENV=production and DATABASE_URL is not set: refusing to start/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(existsSync(path.join(dataDir, "postgres")) ? readdirSync(path.join(dataDir, "postgres")) : []).toEqual([]);
    }, 180_000);
  }
});
