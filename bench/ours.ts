// Our nameserver (nameserver/main.ts) as a child process, pinned to one core like NSD.
import path from "node:path";
import { commandLine, descendants, pinned, startServer, type Server } from "./processes.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

export async function startOurNameserver(opts: { databaseUrl: string; port: number; core: number; env?: NodeJS.ProcessEnv }): Promise<Server> {
  return startServer({
    name: "our nameserver",
    command: pinned(opts.core, path.join(ROOT, "node_modules/.bin/tsx"), ["nameserver/main.ts"]),
    cwd: ROOT,
    env: {
      ...process.env,
      ...opts.env,
      DATABASE_URL: opts.databaseUrl,
      DNS_ADDRESS: "127.0.0.1",
      DNS_PORT: String(opts.port),
      NAMESERVER_ID: "bench",
    },
    ready: (output) => output.includes("NAMESERVER_READY"),
    timeoutMs: 120_000,
  });
}

/**
 * The pid of the node process that actually serves. taskset execs into tsx, and tsx's CLI runs
 * the script in a child node process, so the server is the deepest process running main.ts.
 */
export function servingPid(server: Server): number {
  const candidates = [server.child.pid!, ...descendants(server.child.pid!)].filter((p) => commandLine(p).includes("nameserver/main.ts"));
  return candidates[candidates.length - 1] ?? server.child.pid!;
}
