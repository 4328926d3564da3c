// dnsperf: the query file, running it (pinned to its own core), and reading its report.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import readline from "node:readline";
import { pinned } from "./processes.ts";
import { shuffle } from "./stats.ts";
import { zoneName } from "./zones.ts";

/**
 * The query mix, by weight (sums to 100). Mostly positive answers, as an authoritative server
 * sees, plus the expensive paths: CNAME chasing, MX with additional-section addresses,
 * NXDOMAIN and NODATA with the SOA, and referrals below the delegated child `sub`.
 */
const MIX: { weight: number; line: (zone: string, n: number) => string }[] = [
  { weight: 25, line: (z) => `www.${z} A` },
  { weight: 10, line: (z) => `www.${z} AAAA` },
  { weight: 10, line: (z) => `${z} MX` },
  { weight: 10, line: (z) => `alias.${z} A` }, // CNAME -> www, followed in-zone
  { weight: 15, line: (z, n) => `nx${n}.${z} A` }, // NXDOMAIN; a different name on each line
  { weight: 8, line: (z) => `${z} TXT` },
  { weight: 7, line: (z) => `host.sub.${z} A` }, // referral to sub's NS, with glue
  { weight: 5, line: (z) => `api.${z} A` },
  { weight: 4, line: (z) => `${z} NS` },
  { weight: 3, line: (z) => `${z} SOA` },
  { weight: 3, line: (z) => `www.${z} MX` }, // NODATA
];

/** `lines` queries for random zones among the first `zoneCount`, in the MIX proportions, shuffled. */
export function queryLines(zoneCount: number, lines: number, random: () => number): string[] {
  const out: string[] = [];
  for (const { weight, line } of MIX) {
    const n = Math.round((lines * weight) / 100);
    for (let i = 0; i < n; i++) out.push(line(zoneName(Math.floor(random() * zoneCount)), out.length));
  }
  return shuffle(out, random);
}

export async function writeQueryFile(file: string, lines: string[]) {
  await writeFile(file, lines.join("\n") + "\n");
}

export interface DnsperfResult {
  qps: number;
  avgLatencyMs: number;
  sent: number;
  completed: number;
  lost: number;
  responseCodes: string;
  /** Per-query latencies in ms, only with `verbose` (dnsperf -v reports each response). */
  latenciesMs?: Float64Array;
  report: string;
}

export async function runDnsperf(opts: {
  port: number;
  file: string;
  seconds: number;
  clients: number;
  outstanding: number;
  /** Queries per second cap; omitted = as fast as the server answers. */
  maxQps?: number;
  verbose?: boolean;
  core: number;
}): Promise<DnsperfResult> {
  const args = ["-s", "127.0.0.1", "-p", String(opts.port), "-d", opts.file, "-l", String(opts.seconds), "-c", String(opts.clients), "-q", String(opts.outstanding)];
  if (opts.maxQps) args.push("-Q", String(opts.maxQps));
  if (opts.verbose) args.push("-v");
  const [command, commandArgs] = pinned(opts.core, "dnsperf", args);
  const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });

  // With -v, dnsperf prints a line per response ("> NOERROR www.zone1.bench A 0.000174"):
  // keep only the latency, in a growable typed array, and the rest of the output as the report.
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let report = "";
  const lines = readline.createInterface({ input: child.stdout! });
  lines.on("line", (line) => {
    if (line.startsWith("> ")) {
      const latency = Number(line.slice(line.lastIndexOf(" ") + 1));
      if (!Number.isFinite(latency)) return; // "> T ..." (timed out) carries no latency
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = latency * 1000;
    } else if (!line.startsWith("[Timeout]")) report += line + "\n";
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`dnsperf exited with ${code}:\n${report}${stderr}`);

  const number = (label: string) => {
    const m = report.match(new RegExp(`${label}:\\s+([\\d.]+)`));
    if (!m) throw new Error(`dnsperf report has no "${label}":\n${report}${stderr}`);
    return Number(m[1]);
  };
  return {
    qps: number("Queries per second"),
    avgLatencyMs: number("Average Latency \\(s\\)") * 1000,
    sent: number("Queries sent"),
    completed: number("Queries completed"),
    lost: number("Queries lost"),
    responseCodes: report.match(/Response codes:\s+(.*)/)?.[1] ?? "",
    latenciesMs: opts.verbose ? latencies.subarray(0, count) : undefined,
    report,
  };
}
