// CLI: tenant quota, domain move (platform administration). The operator acts as "cli", through
// the same lib functions as /admin (lib/tenancy/quotas.ts, lib/tenancy/domain-move.ts).
import { db } from "../db/client.ts";
import { NotFoundError } from "../errors.ts";
import { moveDomainAs } from "../tenancy/domain-move.ts";
import { QUOTA_NAMES, quotaOverrides, setTenantQuotasAs, tenantUsage, type QuotaName, type TenantUsage } from "../tenancy/quotas.ts";
import { CLI_ACTOR, option, UsageError, type CommandSet } from "./args.ts";

const QUOTA_USAGE = "tenant quota <slug> [--domains N] [--records-per-zone N] [--changes-per-minute N]";
const MOVE_USAGE = "domain move <domain> --to <slug>";

/** The flags of `tenant quota`, by quota. */
const FLAGS: Record<QuotaName, string> = {
  domains: "--domains",
  recordsPerZone: "--records-per-zone",
  changesPerMinute: "--changes-per-minute",
};

const n = (value: number) => value.toLocaleString("en-US");

/** Limits and usage, one quota a line, saying where each limit comes from. */
function describeQuotas(slug: string, usage: TenantUsage, own: Record<QuotaName, number | null>): string {
  const origin = (name: QuotaName) => (own[name] === null ? "platform default" : "set for this tenant");
  const line = (name: QuotaName, used: number, limit: number | null, extra = "") =>
    `  ${QUOTA_NAMES[name].toLowerCase().padEnd(20)}${n(used)} of ${limit === null ? "unlimited" : n(limit)} (${origin(name)})${extra}`;
  return [
    `tenant ${slug}: used of limit`,
    line("domains", usage.domains.used, usage.domains.limit),
    line("recordsPerZone", usage.recordsPerZone.used, usage.recordsPerZone.limit, usage.recordsPerZone.largestZone ? `, largest zone ${usage.recordsPerZone.largestZone}` : ""),
    line("changesPerMinute", usage.changesPerMinute.used, usage.changesPerMinute.limit, " in the last minute"),
  ].join("\n");
}

export const quotaCommands: CommandSet = {
  usage: [
    `${QUOTA_USAGE}   N, "unlimited" (or 0), or "default"`,
    MOVE_USAGE,
  ],
  commands: {
    "tenant quota": async (args) => {
      const input: Partial<Record<QuotaName, string>> = {};
      for (const [name, flag] of Object.entries(FLAGS) as [QuotaName, string][]) {
        const value = option(args, flag);
        if (value !== undefined) input[name] = value;
      }
      if (args.length !== 1) throw new UsageError(QUOTA_USAGE);
      const slug = args[0];
      const lines: string[] = [];
      if (Object.keys(input).length) {
        // The values are parsed by the same schema as /admin's form (lib/tenancy/quota-schemas.ts).
        const change = await setTenantQuotasAs(CLI_ACTOR, slug, input);
        const changed = (Object.keys(FLAGS) as QuotaName[]).filter((k) => change.from[k] !== change.to[k]);
        lines.push(changed.length ? `set quotas of ${slug}: ${changed.map((k) => `${FLAGS[k].slice(2)} ${describeSetting(change.to[k])}`).join(", ")}` : `quotas of ${slug} unchanged`);
      }
      const tenant = await db().tenant.findUnique({ where: { slug } });
      if (!tenant) throw new NotFoundError(`tenant ${slug}`);
      lines.push(describeQuotas(slug, await tenantUsage(tenant.id), quotaOverrides(tenant)));
      return lines.join("\n");
    },
    "domain move": async (args) => {
      const to = option(args, "--to");
      if (args.length !== 1 || !to) throw new UsageError(MOVE_USAGE);
      const move = await moveDomainAs(CLI_ACTOR, args[0], to);
      return [
        `moved ${move.domain} from ${move.from} to ${move.to}`,
        move.zone ? `zone ${move.zone.name} unchanged: serial ${move.zone.serial}, ${n(move.zone.records)} records, history kept` : "no zone here",
        ...(move.registered ? ["registration moved with it"] : []),
      ].join("\n");
    },
  },
};

function describeSetting(value: number | null): string {
  return value === null ? "default" : value === 0 ? "unlimited" : n(value);
}
