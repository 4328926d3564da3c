// Our nameserver (nameserver/main.ts) as a child process, pinned to one core like NSD.
import path from "node:path";
import { commandLine, descendants, pinned, startServer, type Server } from "./processes.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

export async function startOurNameserver(opts: { databaseUrl: string; port: number; core: number; env?: Record<string, string> }): Promise<Server> {
  return startServer({
    name: "our nameserver",
    // One node process (tsx as a loader, not its CLI, which would add a launcher process).
    command: pinned(opts.core, process.execPath, ["--import", "tsx", "nameserver/main.ts"]),
    cwd: ROOT,
    env: {
      ...process.env,
      // Rate limiting: dnsperf sends 100k+ queries a second from one address, and the edit
      // measurement polls one SOA every millisecond, so the default limits would cut both down.
      // NSD runs with RRL off (bench/nsd.ts); ours runs it with a rate no flow reaches, so the
      // check is paid on every query (what production pays) and never limits: conservative.
      DNS_RRL_RESPONSES_PER_SECOND: "1000000",
      // A free port: the default (9153) may be taken by another nameserver on this machine.
      METRICS_PORT: "0",
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
