// NSD, the reference: the same zones as zone files, one server process pinned to one core.
import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pinned, startServer, type Server } from "./processes.ts";
import { UdpClient, waitForSoa } from "./udp-client.ts";

export const NSD_BINARY = "/usr/sbin/nsd";

export function nsdConfig(opts: { dir: string; zonesDir: string; port: number; zones: { zone: string; file: string }[] }): string {
  const q = (s: string) => JSON.stringify(s);
  const server = [
    "server:",
    "  ip-address: 127.0.0.1",
    `  port: ${opts.port}`,
    `  zonesdir: ${q(opts.zonesDir)}`,
    `  pidfile: ${q(path.join(opts.dir, "nsd.pid"))}`,
    `  xfrdfile: ${q(path.join(opts.dir, "xfrd.state"))}`,
    `  xfrdir: ${q(opts.dir)}`,
    `  zonelistfile: ${q(path.join(opts.dir, "zone.list"))}`,
    '  database: ""',
    // One serving process, like our single-threaded nameserver; no privilege drop (we may be root
    // or not, and the files are ours either way).
    "  server-count: 1",
    '  username: ""',
    "  verbosity: 0",
    "  tcp-count: 100",
    // Debian builds NSD with response rate limiting on (200 answers/s per client /24 by
    // default): from one loopback client it would drop most of dnsperf's queries. (Ours runs
    // its check with a rate nothing reaches instead: bench/ours.ts.)
    "  rrl-ratelimit: 0",
    "  rrl-whitelist-ratelimit: 0",
    "  minimal-responses: yes",
    "remote-control:",
    "  control-enable: no",
  ];
  const zones = opts.zones.flatMap(({ zone, file }) => ["zone:", `  name: ${q(zone)}`, `  zonefile: ${q(file)}`]);
  return [...server, ...zones].join("\n") + "\n";
}

/** Writes nsd.conf, checks it with nsd-checkconf, starts NSD and waits until it answers `probeZone`. */
export async function startNsd(opts: { dir: string; zonesDir: string; port: number; zones: { zone: string; file: string }[]; core: number }): Promise<Server> {
  const confPath = path.join(opts.dir, "nsd.conf");
  await writeFile(confPath, nsdConfig(opts));
  const check = spawnSync("nsd-checkconf", [confPath], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`nsd-checkconf rejected ${confPath}:\n${check.stdout}${check.stderr}`);

  const client = new UdpClient(opts.port);
  const probeZone = opts.zones[opts.zones.length - 1].zone;
  try {
    return await startServer({
      name: "nsd",
      command: pinned(opts.core, NSD_BINARY, ["-d", "-c", confPath]),
      // NSD answers only once every zone is read, so the last zone answering means all of them do.
      probe: () => waitForSoa(client, probeZone, 100),
      timeoutMs: 60_000,
    });
  } finally {
    client.close();
  }
}
