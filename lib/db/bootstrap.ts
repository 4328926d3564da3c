// Where the database is: DATABASE_URL when set; otherwise the embedded PostgreSQL under .data/
// (started here if it is not already running, e.g. by `npm start` in another terminal).
//
// In production (NODE_ENV=production) DATABASE_URL is required: an embedded database created
// there by mistake would be empty, and the product would run on it as if nothing were wrong.
import path from "node:path";
import net from "node:net";
import { PROJECT_ROOT } from "./paths.ts";

export { PROJECT_ROOT };

export function embeddedSettings(env: NodeJS.ProcessEnv = process.env) {
  return {
    dataDir: path.resolve(PROJECT_ROOT, env.DATA_DIR ?? ".data", "postgres"),
    port: Number(env.EMBEDDED_PG_PORT ?? 54329),
  };
}

/** The refusal every entry point gives in production without DATABASE_URL (null: go ahead). */
export function productionDatabaseProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.NODE_ENV !== "production" || env.DATABASE_URL) return null;
  return (
    "NODE_ENV=production and DATABASE_URL is not set: refusing to start on a new, empty embedded database. " +
    "Set DATABASE_URL to your PostgreSQL (postgresql://user:password@host:5432/dns), or unset NODE_ENV to use the embedded one."
  );
}

/** Exits the process with productionDatabaseProblem's message, if there is one. */
export function refuseWithoutProductionDatabase(name: string, env: NodeJS.ProcessEnv = process.env) {
  const problem = productionDatabaseProblem(env);
  if (!problem) return;
  console.error(`[${name}] ${problem}`);
  process.exit(1);
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  /** Stops the embedded server if this process started it; otherwise does nothing. */
  stop(): Promise<void>;
  /** The embedded server this process started (to watch and restart it), if any. */
  server?: import("./embedded-postgres.ts").EmbeddedDatabase;
}

/**
 * Finds or starts the database, applies pending migrations (only when there are any: see
 * migrate.ts), and sets process.env.DATABASE_URL.
 */
export async function openDatabase(opts: { migrate?: boolean; quiet?: boolean } = {}): Promise<DatabaseHandle> {
  // Only entry points open the database (the nameserver, the CLI, start, the db scripts): the
  // refusal is one line on stderr and exit code 1, not a stack trace.
  refuseWithoutProductionDatabase(path.basename(process.argv[1] ?? "dns-panel").replace(/\.[jt]s$/, ""));
  let handle: DatabaseHandle;
  if (process.env.DATABASE_URL) {
    handle = { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  } else {
    // Loaded only here: production (DATABASE_URL) never loads the embedded server's package.
    const { embeddedPassword, embeddedUrl, startEmbeddedPostgres } = await import("./embedded-postgres.ts");
    const { dataDir, port } = embeddedSettings();
    const useRunning = async (): Promise<DatabaseHandle> => ({ url: embeddedUrl(port, await embeddedPassword(dataDir, port)), embedded: true, stop: async () => {} });
    if (await reachable(port)) {
      handle = await useRunning();
    } else {
      try {
        const pg = await startEmbeddedPostgres({ dataDir, port, quiet: opts.quiet ?? true });
        handle = { url: pg.url, embedded: true, stop: pg.stop, server: pg };
      } catch (e) {
        // Several processes starting at once (CLI runs with no `npm start`): one server wins the
        // data directory's lock, the others use it.
        if (!(await waitUntilReachable(port, 10_000))) throw e;
        handle = await useRunning();
      }
    }
    process.env.DATABASE_URL = handle.url;
  }
  if (opts.migrate !== false) {
    const { applyPendingMigrations } = await import("./migrate.ts");
    await applyPendingMigrations(handle.url);
  }
  return handle;
}

async function waitUntilReachable(port: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    if (await reachable(port)) return true;
  }
  return false;
}
