// CLI: tenant suspend, tenant resume (platform administration). The operator acts as "cli",
// through the same lib functions as the panel's platform admins (lib/tenancy/tenants.ts).
import { resumeTenantAs, suspendTenantAs, type SuspensionResult } from "../tenancy/tenants.ts";
import { CLI_ACTOR, option, UsageError, type CommandSet } from "./args.ts";

const SUSPEND_USAGE = "tenant suspend <slug> --kind billing|abuse --reason <text>";
const RESUME_USAGE = "tenant resume <slug>";

function describe(result: SuspensionResult): string {
  const zones = result.zones ? `; ${result.zones} zone${result.zones === 1 ? "" : "s"} re-checked by the nameservers` : "";
  if (result.status === "active") return result.changed ? `resumed tenant ${result.slug}: changes allowed and its zones served again${zones}` : `tenant ${result.slug} is not suspended`;
  const what = result.kind === "billing" ? "its zones are still served, changes are refused" : "its zones are no longer served, changes are refused";
  return result.changed ? `suspended tenant ${result.slug} for ${result.kind} (${result.reason}): ${what}${zones}` : `tenant ${result.slug} is already suspended for ${result.kind} with that reason`;
}

export const suspensionCommands: CommandSet = {
  usage: [SUSPEND_USAGE, RESUME_USAGE],
  commands: {
    "tenant suspend": async (args) => {
      const kind = option(args, "--kind");
      const reason = option(args, "--reason");
      if (args.length !== 1 || kind === undefined || reason === undefined) throw new UsageError(SUSPEND_USAGE);
      if (kind !== "billing" && kind !== "abuse") throw new UsageError(`--kind is billing or abuse: ${SUSPEND_USAGE}`);
      return describe(await suspendTenantAs(CLI_ACTOR, args[0], { kind, reason }));
    },
    "tenant resume": async (args) => {
      if (args.length !== 1) throw new UsageError(RESUME_USAGE);
      return describe(await resumeTenantAs(CLI_ACTOR, args[0]));
    },
  },
};
