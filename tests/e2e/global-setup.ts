// Once per browser-test run: build the panel (production), start an embedded PostgreSQL,
// migrate and seed it, then start the real nameserver and the real panel server on free
// loopback ports. Returns the teardown that stops them all.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres } from "../../lib/db/embedded-postgres.ts";
import { applyMigrations } from "../../lib/db/migrate.ts";
import { ENV_FILE, type E2eEnvironment } from "./environment.ts";
import { PASSWORD, REGISTRY_TLD, seed } from "./seed.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv, readyLine: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const logFile = path.join(ROOT, "tmp", `e2e-${name}.log`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      writeFileSync(logFile, output);
      if (output.includes(readyLine)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
}

export default async function globalSetup() {
  mkdirSync(path.join(ROOT, "tmp"), { recursive: true });
  if (process.env.E2E_SKIP_BUILD !== "1") {
    const build = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const dataDir = mkdtempSync(path.join(os.tmpdir(), "dns-e2e-db-"));
  const database = await startEmbeddedPostgres({ dataDir });
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  // The registry's TLD for these tests (the zones of data.ts's createZone are hosted under .test).
  process.env.REGISTRY_TLDS = REGISTRY_TLD;
  process.env.AUTH_CODE_KEY = "e2e-auth-code-key";
  await seed();

  const [dnsPort, panelPort] = [await freePort(), await freePort()];
  const common = { ...process.env, DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: "1" };
  const nameserver = await startProcess(
    "nameserver",
    ["--import", "tsx", "nameserver/main.ts"],
    // Query rollups every second (not every minute), so the dashboard test sees its queries soon.
    { ...common, DNS_ADDRESS: "127.0.0.1", DNS_PORT: String(dnsPort), NAMESERVER_ID: `e2e-${dnsPort}`, QUERY_STATS_FLUSH_MS: "1000", METRICS_PORT: "0" },
    "NAMESERVER_READY",
  );
  const baseUrl = `http://localhost:${panelPort}`;
  const panel = await startProcess(
    "panel",
    ["--import", "tsx", "scripts/panel-server.ts"],
    // Where our nameserver answers, for the panel's delegation check.
    { ...common, NODE_ENV: "production", DNS_ADDRESS: "127.0.0.1", DNS_PORT: String(dnsPort), PORT: String(panelPort), PANEL_ADDRESS: "127.0.0.1", NEXTAUTH_URL: baseUrl, NEXTAUTH_SECRET: "e2e-secret-not-for-production", AUTH_CODE_KEY: "e2e-auth-code-key" },
    "PANEL_READY",
  );

  const environment: E2eEnvironment = { baseUrl, dnsPort, databaseUrl: database.url, password: PASSWORD };
  writeFileSync(ENV_FILE, JSON.stringify(environment, null, 2));

  return async () => {
    for (const child of [panel, nameserver]) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      child.kill("SIGKILL");
    }
    const { db } = await import("../../lib/db/client.ts");
    await db().$disconnect();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(ENV_FILE, { force: true });
  };
}
