// Starts the real nameserver process (nameserver/main.ts): by default on 127.0.0.1 (every zone,
// registry and hosted) and a free port; `env` may set DNS_ADDRESS, REGISTRY_DNS_ADDRESS and
// DNS_PORT to listen elsewhere.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "../../lib/db/embedded-postgres.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface NameserverProcess {
  /** The port it listens on, at every address (as its NAMESERVER_READY line says). */
  port: number;
  /** The UDP implementation the server reported: "batch" (native addon) or "dgram". */
  udpIo: string;
  /** Its Prometheus metrics port (METRICS_PORT; a free one by default), undefined when off. */
  metricsPort?: number;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export async function startNameserver(opts: { databaseUrl?: string; env?: Record<string, string> } = {}): Promise<NameserverProcess> {
  const port = opts.env?.DNS_PORT ? Number(opts.env.DNS_PORT) : await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "nameserver/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl ?? process.env.DATABASE_URL,
      DNS_ADDRESS: "127.0.0.1",
      REGISTRY_DNS_ADDRESS: "", // unset: the same addresses as DNS_ADDRESS
      DNS_PORT: String(port),
      NAMESERVER_ID: `test-${port}`,
      // A free port each: test nameservers run side by side (the default 9153 would clash).
      METRICS_PORT: "0",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nameserver did not start:\n${output}`)), 30_000);
    const check = () => {
      if (output.includes("NAMESERVER_READY")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`nameserver exited with ${code}:\n${output}`));
    });
  });
  return {
    port: Number(/NAMESERVER_READY udp=(\d+)/.exec(output)?.[1] ?? port),
    udpIo: /udp-io=(\w+)/.exec(output)?.[1] ?? "unknown",
    metricsPort: ((m) => (m ? Number(m[1]) : undefined))(/NAMESERVER_READY .*metrics=(\d+)/.exec(output)),
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Polls until `check` passes (no fixed sleeps); throws the last failure after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** The nameserver's own series from its /metrics (name with labels -> value). */
export async function scrapeMetrics(ns: NameserverProcess): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${ns.metricsPort}/metrics`)).text();
  const values: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^(nameserver_[a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) values[m[1]] = Number(m[2]);
  }
  return values;
}
