// Child processes of the benchmark: spawning (optionally pinned to a core), stopping, memory.
//
// Every server is spawned in its own process group (detached), so that stopping it also stops
// what it forked (tsx runs the real script in a child node process; NSD forks xfrd and its
// server process). We only ever signal the groups we created, by their id.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

export const HAS_TASKSET = spawnSync("taskset", ["-c", "0", "true"]).status === 0;

/** [command, args] wrapped with `taskset -c <core>` when taskset works here. */
export function pinned(core: number, command: string, args: string[]): [string, string[]] {
  return HAS_TASKSET ? ["taskset", ["-c", String(core), command, ...args]] : [command, args];
}

export interface Server {
  name: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns a long-running server in its own process group and resolves once `ready(output)` holds
 * (checked on each output chunk and by `probe`, if given, every 50 ms). Rejects if the process
 * exits first or `timeoutMs` passes.
 */
export async function startServer(opts: {
  name: string;
  command: [string, string[]];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  ready?: (output: string) => boolean;
  probe?: () => Promise<boolean>;
  timeoutMs?: number;
}): Promise<Server> {
  const [command, args] = opts.command;
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const server: Server = { name: opts.name, child, output: () => output, stop: () => stopGroup(child) };

  await new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poller);
      child.stdout!.off("data", check);
      child.off("exit", exited);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (opts.ready?.(output)) finish();
    };
    const exited = (code: number | null, signal: string | null) =>
      finish(new Error(`${opts.name} exited (${code ?? signal}) before it was ready:\n${output}`));
    const timer = setTimeout(() => {
      void stopGroup(child);
      finish(new Error(`${opts.name} was not ready after ${opts.timeoutMs ?? 60_000} ms:\n${output}`));
    }, opts.timeoutMs ?? 60_000);
    const poller = setInterval(() => {
      opts.probe?.().then((ok) => ok && finish(), () => {});
    }, 50);
    child.stdout!.on("data", check);
    child.on("exit", exited);
    child.on("error", (e) => finish(e));
  });
  return server;
}

/** SIGTERM to the child's process group; SIGKILL after 5 s if it has not exited. */
export function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // The group is already gone.
      }
    };
    const killer = setTimeout(() => signal("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(killer);
      // Whatever the leader left behind in its group (it should be nothing).
      signal("SIGKILL");
      resolve();
    });
    signal("SIGTERM");
  });
}

/** The pids of all descendants of `pid` (children first), from /proc/<pid>/task/<tid>/children. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      let children = "";
      try {
        children = readFileSync(`/proc/${p}/task/${tid}/children`, "utf8");
      } catch {
        continue;
      }
      for (const c of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
        out.push(c);
        visit(c);
      }
    }
  };
  visit(pid);
  return out;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

function statusField(pid: number, field: string): number | undefined {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resident set size in bytes (VmRSS). */
export const rssBytes = (pid: number) => statusField(pid, "VmRSS");

/** Proportional set size in bytes: shared pages split between the processes sharing them. */
export function pssBytes(pid: number): number | undefined {
  try {
    const m = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The process itself (unless it is only a wrapper that has exec'd away) and its descendants. */
export function processTree(pid: number): number[] {
  return [pid, ...descendants(pid)];
}

/** Sum of PSS over a process tree: the memory the tree really costs, shared pages counted once. */
export function treePss(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + (pssBytes(p) ?? 0), 0);
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ; `getconf CLK_TCK` is 100 on Linux

/** CPU time (user + system, seconds) used so far by a process tree. */
export function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      // Fields after the ")" that ends the command name: state is field 3, utime 14, stime 15.
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Exited meanwhile.
    }
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** Busy and total jiffies of one CPU core so far, from /proc/stat. */
export function coreTimes(core: number): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n").find((l) => l.startsWith(`cpu${core} `));
  if (!line) return { busy: 0, total: 0 };
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}
