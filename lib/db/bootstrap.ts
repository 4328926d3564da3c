// Where the database is: DATABASE_URL when set; otherwise the embedded PostgreSQL under .data/
// (started here if it is not already running, e.g. by `npm start` in another terminal).
import path from "node:path";
import net from "node:net";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { applyMigrations } from "./migrate.ts";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");

export function embeddedSettings(env: NodeJS.ProcessEnv = process.env) {
  return {
    dataDir: path.resolve(PROJECT_ROOT, env.DATA_DIR ?? ".data", "postgres"),
    port: Number(env.EMBEDDED_PG_PORT ?? 54329),
  };
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
}

/** Finds or starts the database, applies pending migrations, and sets process.env.DATABASE_URL. */
export async function openDatabase(opts: { migrate?: boolean; quiet?: boolean } = {}): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (process.env.DATABASE_URL) {
    handle = { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  } else {
    const { dataDir, port } = embeddedSettings();
    const url = `postgresql://postgres:postgres@127.0.0.1:${port}/dns`;
    if (await reachable(port)) {
      handle = { url, embedded: true, stop: async () => {} };
    } else {
      const pg = await startEmbeddedPostgres({ dataDir, port, quiet: opts.quiet ?? true });
      handle = { url: pg.url, embedded: true, stop: pg.stop };
    }
    process.env.DATABASE_URL = handle.url;
  }
  if (opts.migrate !== false) await applyMigrations(handle.url);
  return handle;
}
