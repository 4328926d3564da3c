// CLI: audit ls (platform administration). Being built.
import type { CommandSet } from "./args.ts";

export const auditCommands: CommandSet = { usage: [], commands: {} };
