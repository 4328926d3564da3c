// CLI: tenant suspend, tenant resume (platform administration). Being built.
import type { CommandSet } from "./args.ts";

export const suspensionCommands: CommandSet = { usage: [], commands: {} };
