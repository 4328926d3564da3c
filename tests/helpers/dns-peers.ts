// Real DNS peers from Debian, started by tests with a config in a temporary folder: unbound (a
// recursive resolver) and nsd (another authoritative server). A resolver follows referrals to
// port 53 only, so these listen on port 53 of distinct loopback addresses (tests run as root).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { query } from "./dns-client.ts";
import { eventually } from "./nameserver-process.ts";

export interface Peer {
  address: string;
  port: number;
  dir: string;
  output: () => string;
  stop(): Promise<void>;
}

function start(command: string, args: string[], dir: string): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  child.on("error", (e) => (output += `\n${command}: ${e.message}`));
  return { child, output: () => output };
}

function stopper(child: ChildProcess, dir: string) {
  return () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", done);
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    });
}

/** nsd serving one zone (zone-file text) on address:53. Resolves once it answers the zone's SOA. */
export async function startNsd(opts: { address: string; zone: string; zoneFile: string }): Promise<Peer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nsd-"));
  writeFileSync(path.join(dir, "zone.db"), opts.zoneFile);
  writeFileSync(
    path.join(dir, "nsd.conf"),
    `server:
  ip-address: ${opts.address}@53
  username: ""
  chroot: ""
  zonesdir: "${dir}"
  pidfile: "${dir}/nsd.pid"
  database: ""
  xfrdfile: "${dir}/xfrd.state"
  zonelistfile: "${dir}/zone.list"
  verbosity: 1
  server-count: 1
remote-control:
  control-enable: no
zone:
  name: "${opts.zone}"
  zonefile: "${dir}/zone.db"
`,
  );
  const { child, output } = start("nsd", ["-d", "-c", path.join(dir, "nsd.conf")], dir);
  const peer: Peer = { address: opts.address, port: 53, dir, output, stop: stopper(child, dir) };
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`nsd exited (${child.exitCode}):\n${output()}`);
    const r = await query(53, opts.zone, "SOA", { host: opts.address, timeoutMs: 500 });
    if (r.rcode !== "NOERROR" || !r.aa) throw new Error(`nsd not ready: ${r.rcode}`);
  }, 30_000, 100);
  return peer;
}

export interface Resolver extends Peer {
  /** Forgets everything cached at and below `name` (unbound-control flush_zone). */
  flush(name: string): void;
}

/**
 * unbound on address:53 with one stub zone: queries for `stubZone` start at `stubAddress`:53
 * (our registry's address), as a resolver's root hints would lead it to a real TLD's servers.
 */
export async function startUnbound(opts: { address: string; stubZone: string; stubAddress: string }): Promise<Resolver> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "unbound-"));
  const conf = path.join(dir, "unbound.conf");
  writeFileSync(
    conf,
    `server:
  interface: ${opts.address}@53
  port: 53
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: "${dir}/unbound.pid"
  logfile: ""
  use-syslog: no
  verbosity: 1
  num-threads: 1
  access-control: 127.0.0.0/8 allow
  # Our servers are on loopback: unbound refuses to query 127.0.0.0/8 unless told otherwise.
  do-not-query-localhost: no
  # No DNSSEC validation (our zones are unsigned, and there is no trust anchor for a local TLD).
  module-config: "iterator"
  harden-referral-path: no
  prefetch: no
  # The registry's TLD is ours, not the root's.
  domain-insecure: "${opts.stubZone}"
stub-zone:
  name: "${opts.stubZone}"
  stub-addr: ${opts.stubAddress}@53
remote-control:
  control-enable: yes
  control-interface: "${dir}/unbound.ctl"
  control-use-cert: no
`,
  );
  const check = spawnSync("unbound-checkconf", [conf], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`unbound-checkconf: ${check.stdout}${check.stderr}`);
  const { child, output } = start("unbound", ["-d", "-c", conf], dir);
  const resolver: Resolver = {
    address: opts.address,
    port: 53,
    dir,
    output,
    stop: stopper(child, dir),
    flush(name: string) {
      for (const args of [["flush_zone", name], ["flush_requestlist"], ["flush_infra", "all"]]) {
        const r = spawnSync("unbound-control", ["-c", conf, ...args], { encoding: "utf8" });
        if (r.status !== 0) throw new Error(`unbound-control ${args.join(" ")}: ${r.stdout}${r.stderr}`);
      }
    },
  };
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`unbound exited (${child.exitCode}):\n${output()}`);
    const r = await query(53, opts.stubZone, "SOA", { host: opts.address, rd: true, timeoutMs: 1000 });
    if (r.rcode !== "NOERROR") throw new Error(`unbound not ready: ${r.rcode}`);
  }, 30_000, 200);
  return resolver;
}
