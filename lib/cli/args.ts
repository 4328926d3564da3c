// What every CLI command module shares: argument parsing, the usage error, the CLI's actor.
import type { Actor } from "../zone/change-set.ts";

export const CLI_ACTOR: Actor = { label: "cli", source: "cli" };

/** Wrong arguments: scripts/cli.ts prints the message and the usage, and exits with 2. */
export class UsageError extends Error {}

/** What a command prints, and its exit code when it is not 0 (`domain check`: 1 when not available). */
export type CliOutput = string | { output: string; code: number };

/** One area's commands, keyed by "<noun> <verb>", and their usage lines (without "npm run cli --"). */
export interface CommandSet {
  usage: string[];
  commands: Record<string, (args: string[]) => Promise<CliOutput>>;
}

/** Takes `--flag value` out of args; undefined when absent. */
export function option(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (!value || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
  args.splice(i, 2);
  return value;
}

/** Takes `--name` out of args; whether it was there. */
export function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i === -1) return false;
  args.splice(i, 1);
  return true;
}
