// CLI: tenant quota, domain move (platform administration). Being built.
import type { CommandSet } from "./args.ts";

export const quotaCommands: CommandSet = { usage: [], commands: {} };
