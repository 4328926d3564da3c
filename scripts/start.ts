// npm start: the whole product on one line.
//   1. the database: DATABASE_URL, or an embedded PostgreSQL with its data in .data/ (kept)
//   2. migrations, and on first run a platform admin + the demo tenant
//   3. the panel (next start, built first if needed) and the nameserver, as child processes
// Ctrl-C stops everything, the embedded PostgreSQL included.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { embeddedSettings, openDatabase, PROJECT_ROOT } from "../lib/db/bootstrap.ts";
import { seedFirstRun } from "../lib/seed.ts";
import { ensureRegistry } from "../lib/registry/tlds.ts";
import { readOrCreateAuthCodeKeyFile } from "../lib/registry/auth-code.ts";
import { db } from "../lib/db/client.ts";

const dev = process.argv.includes("--dev");
const port = process.env.PORT ?? "3000";
const dnsAddress = process.env.DNS_ADDRESS ?? "127.0.0.1";
const dnsPort = process.env.DNS_PORT ?? "5300";
const bin = (name: string) => path.join(PROJECT_ROOT, "node_modules", ".bin", name);

const database = await openDatabase({ quiet: true });
console.log(database.embedded ? `database: embedded PostgreSQL (${embeddedSettings().dataDir})` : "database: DATABASE_URL");
const seed = await seedFirstRun();
if (seed.generatedPassword) {
  console.log(`first run: platform admin ${seed.adminEmail} with password ${seed.generatedPassword} (shown once; set ADMIN_PASSWORD to choose it)`);
} else if (seed.created) {
  console.log(`first run: platform admin ${seed.adminEmail} created with ADMIN_PASSWORD`);
}
// The registry's TLDs (REGISTRY_TLDS, default "test"), their zones and our nameservers' glue.
const tlds = await ensureRegistry().catch(async (e) => {
  console.error(`registry: ${e.message}`);
  await database.stop();
  process.exit(1);
});
console.log(`registry: ${tlds.map((t) => `.${t.tld}`).join(", ")}${tlds.some((t) => t.created) ? " (created)" : ""}`);
await db().$disconnect();

/** Newest modification time of the panel's sources: a build older than that is stale. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", "generated", "build"].includes(entry.name) || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const buildId = path.join(PROJECT_ROOT, ".next", "BUILD_ID");
const sources = ["app", "lib", "next.config.js", "package-lock.json"].map((p) => path.join(PROJECT_ROOT, p)).filter(existsSync);
const buildIsCurrent = () =>
  existsSync(buildId) && sources.every((p) => (statSync(p).isDirectory() ? newestSource(p) : statSync(p).mtimeMs) <= statSync(buildId).mtimeMs);
if (!dev && !buildIsCurrent()) {
  console.log(existsSync(buildId) ? "the panel's sources changed: rebuilding..." : "building the panel (first run)...");
  const build = spawnSync(bin("next"), ["build"], { cwd: PROJECT_ROOT, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) {
    await database.stop();
    process.exit(build.status ?? 1);
  }
}

/** The key that signs session cookies: NEXTAUTH_SECRET, or one generated once and kept with the data. */
function sessionSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const dir = path.resolve(PROJECT_ROOT, process.env.DATA_DIR ?? ".data");
  const file = path.join(dir, "nextauth-secret");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

const env = {
  ...process.env,
  DATABASE_URL: database.url,
  DNS_ADDRESS: dnsAddress,
  DNS_PORT: dnsPort,
  PORT: port,
  NEXTAUTH_SECRET: sessionSecret(),
  // The key that encrypts domains' auth codes, kept with the data like the session secret.
  AUTH_CODE_KEY: process.env.AUTH_CODE_KEY || readOrCreateAuthCodeKeyFile(process.env, PROJECT_ROOT),
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
  NEXT_TELEMETRY_DISABLED: "1", // nothing outside is reachable from where this runs, often
};
const children: ChildProcess[] = [
  spawn(process.execPath, ["--import", "tsx", "scripts/panel-server.ts", ...(dev ? ["--dev"] : [])], {
    cwd: PROJECT_ROOT,
    env: { ...env, NODE_ENV: dev ? "development" : "production" },
    stdio: "inherit",
  }),
  spawn(process.execPath, ["--import", "tsx", "nameserver/main.ts"], { cwd: PROJECT_ROOT, env, stdio: "inherit" }),
];
console.log(`panel:      http://localhost:${port}`);
console.log(`nameserver: ${dnsAddress}:${dnsPort} (udp+tcp), try: dig @${dnsAddress} -p ${dnsPort} <name> <type>`);

let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 5000).unref();
        }),
    ),
  );
  await database.stop();
  process.exit(code);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));
for (const child of children) {
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`a component exited (code ${code}); stopping everything`);
      void shutdown(code ?? 1);
    }
  });
}
