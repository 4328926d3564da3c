// CLI: user disable, user enable (platform administration). Being built.
import type { CommandSet } from "./args.ts";

export const userCommands: CommandSet = { usage: [], commands: {} };
