// Our nameserver (nameserver/main.ts) as a child process, pinned to one core like NSD.
import path from "node:path";
import { commandLine, descendants, pinned, startServer, type Server } from "./processes.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

export async function startOurNameserver(opts: { databaseUrl: string; port: number; core: number; env?: NodeJS.ProcessEnv }): Promise<Server> {
  return startServer({
    name: "our nameserver",
    // One node process (tsx as a loader, not its CLI, which would add a launcher process).
    command: pinned(opts.core, process.execPath, ["--import", "tsx", "nameserver/main.ts"]),
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
 * The pid of the node process that actually serves: the deepest process running main.ts
 * (taskset execs into node, so today that is the child itself).
 */
export function servingPid(server: Server): number {
  const candidates = [server.child.pid!, ...descendants(server.child.pid!)].filter((p) => commandLine(p).includes("nameserver/main.ts"));
  return candidates[candidates.length - 1] ?? server.child.pid!;
}
