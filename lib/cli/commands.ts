// The operator CLI's commands. Each parses its arguments and calls the same lib/ functions as
// the panel; errors are thrown as lib errors and printed as one line by scripts/cli.ts.
import { db } from "../db/client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { findZoneByName, hostDomainRegisteredElsewhere } from "../domains.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { fqdn } from "../dns/names.ts";
import { applyChangeSet, type ChangeResult } from "../zone/change-set.ts";
import { formatZoneFile } from "../zone/zone-file.ts";
import { visibleEverywhereAt } from "../zone/caching.ts";
import { registryFor } from "../registry/local-registry.ts";
import type { HostInput, RegistrationInfo, RegistryResult } from "../registry/registry.ts";
import { addTld } from "../registry/tlds.ts";
import { tick } from "../registry/scheduler.ts";
import { checkName, PreflightError, registerDomainFor, switchNameservers } from "../registrar/domains.ts";

import { CLI_ACTOR, flag, option, UsageError, type CliOutput, type CommandSet } from "./args.ts";
import { auditCommands } from "./audit-commands.ts";
import { quotaCommands } from "./quota-commands.ts";
import { suspensionCommands } from "./suspension-commands.ts";
import { userCommands } from "./user-commands.ts";

export { UsageError, type CliOutput } from "./args.ts";

// Platform administration's commands, each area in its own module.
const COMMAND_SETS: CommandSet[] = [suspensionCommands, quotaCommands, userCommands, auditCommands];

export const USAGE = `usage:
  npm run cli -- tenant add <slug> [name]
  npm run cli -- domain add <domain> --tenant <slug>          host a domain registered elsewhere
  npm run cli -- domain ls
  npm run cli -- registry tld add <tld> [--ttl <seconds>]
  npm run cli -- registry tick [--at <ISO date>] [--tld <tld>]
  npm run cli -- domain check <name>
  npm run cli -- domain register <name> --tenant <slug> [--years N]
  npm run cli -- domain renew <name> [--years N]
  npm run cli -- domain info <name>
  npm run cli -- domain nameservers <name> --ours
  npm run cli -- domain nameservers <name> <host>[=<ip>,<ip>...] <host>... [--force]
  npm run cli -- domain lock|unlock <name>
  npm run cli -- domain autorenew <name> on|off
  npm run cli -- record add <domain> <name> <type> <ttl> <content...>
  npm run cli -- record rm <domain> <name> <type> [content...]
  npm run cli -- record ls <domain>
${COMMAND_SETS.flatMap((set) => set.usage).map((line) => `  npm run cli -- ${line}`).join("\n")}
names are relative to the zone ("@" is the apex); content is zone-file presentation format,
e.g. record add example.com @ MX 3600 10 mail.example.com.`;


// Prisma's "common" P1xxx codes and socket errors: the database is unavailable (down, wrong
// address or credentials), as opposed to a request it refused.
const UNREACHABLE_CODES = new Set(["P1000", "P1001", "P1002", "P1003", "P1008", "P1011", "P1017", "ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH"]);

/**
 * The one line worth printing from an unexpected error. Prisma's messages open with the call
 * site and a code frame over several lines ("Invalid `client.zone.findMany()` invocation in
 * ..."); the cause is their last line. Other messages: their first non-empty line.
 */
export function messageLine(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split("\n").map((l) => l.trim()).filter(Boolean);
  const line = /^Invalid `.*` invocation/.test(lines[0] ?? "") ? lines.at(-1) : lines[0];
  return line ?? (e instanceof Error ? e.name : "unknown error");
}

export function isDatabaseUnreachable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && UNREACHABLE_CODES.has(code);
}

/** An unexpected error as the CLI prints it: one line (the issue's contract for errors). */
export function describeError(e: unknown): string {
  return isDatabaseUnreachable(e) ? `cannot reach the database: ${messageLine(e)}` : messageLine(e);
}

function yearsOption(args: string[]): number {
  const text = option(args, "--years");
  if (text === undefined) return 1;
  if (!/^\d+$/.test(text)) throw new UsageError("--years takes a whole number (1-10)");
  return Number(text);
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function describeRegistration(info: RegistrationInfo): string {
  return [
    `domain:        ${info.name}`,
    `status:        ${info.status} (${info.statuses.join(", ")})`,
    `registered:    ${info.registeredAt.toISOString()}`,
    `expires:       ${info.expiresAt.toISOString()}${info.status === "grace" ? ` (grace period until ${day(info.graceEndsAt)})` : ""}`,
    ...(info.releaseAt ? [`released on:   ${info.releaseAt.toISOString()} unless restored`] : []),
    `auto-renew:    ${info.autoRenew ? "on" : "off"}`,
    `transfer lock: ${info.transferLock ? "on" : "off"}`,
    `nameservers:   ${info.mode === "hosted" ? "ours" : "custom"}${info.delegated ? "" : " (not delegated now)"}`,
    ...info.nameservers.map((n) => `  ${n.name}${n.ipv4.length + n.ipv6.length ? ` glue ${[...n.ipv4, ...n.ipv6].join(", ")}` : ""}`),
    ...(info.ds.length ? [`ds:            ${info.ds.join("; ")}`] : []),
    `delegation ttl: ${info.delegationTtl} s`,
  ].join("\n");
}

function describeParentChanges(result: RegistryResult, at = new Date()): string[] {
  return result.parentChanges.map(
    (c) => `zone ${c.zone} serial ${c.serial}; visible everywhere by ${visibleEverywhereAt(at, c.cacheSeconds).toISOString()} (resolvers may keep the old delegation ${c.cacheSeconds} s)`,
  );
}

/** "ns1.shop.test=192.0.2.1,2001:db8::1" -> { name, addresses }. */
function hostArgument(arg: string): HostInput {
  const [name, addresses] = arg.split("=", 2);
  return { name, addresses: addresses ? addresses.split(",").filter(Boolean) : undefined };
}

function describeChange(change: ChangeResult): string {
  const lines = [
    ...change.removed.map((r) => `removed ${fqdn(r.name)} ${r.ttl} IN ${r.type} ${r.content}`),
    ...change.added.map((r) => `added ${fqdn(r.name)} ${r.ttl} IN ${r.type} ${r.content}`),
  ];
  return `${lines.join("\n")}\nzone ${change.zoneName} serial ${change.oldSerial} -> ${change.serial}`;
}


export async function runCli(argv: string[]): Promise<CliOutput> {
  const args = [...argv];
  const [noun, verb] = args.splice(0, 2);
  const client = db();
  if (noun === "registry" && verb === "tld") {
    const sub = args.shift();
    if (sub !== "add") throw new UsageError("registry tld add <tld> [--ttl <seconds>]");
    const ttl = option(args, "--ttl");
    if (args.length !== 1 || (ttl !== undefined && !/^\d+$/.test(ttl))) throw new UsageError("registry tld add <tld> [--ttl <seconds>]");
    const setup = await addTld(args[0], { delegationTtl: ttl === undefined ? undefined : Number(ttl) });
    return [
      setup.created ? `created registry TLD ${setup.tld}` : `registry TLD ${setup.tld} exists`,
      ...setup.adopted.map((d) => `registered ${d} to its tenant (it was hosted here)`),
    ].join("\n");
  }
  for (const set of COMMAND_SETS) {
    const command = set.commands[`${noun} ${verb}`];
    if (command) return command(args);
  }
  switch (`${noun} ${verb}`) {
    case "registry tick": {
      const at = option(args, "--at");
      const tld = option(args, "--tld");
      if (args.length) throw new UsageError("registry tick [--at <ISO date>] [--tld <tld>]");
      const now = at === undefined ? new Date() : new Date(at);
      if (Number.isNaN(now.getTime())) throw new UsageError(`--at "${at}" is not a date (e.g. 2027-01-31T12:00:00Z)`);
      const report = await tick(now, tld ? { tlds: [tld.toLowerCase().replace(/\.$/, "")] } : {});
      return [`tick at ${now.toISOString()}: ${report.transitions.length} transition${report.transitions.length === 1 ? "" : "s"}`, ...report.transitions].join("\n");
    }
    case "domain check": {
      if (args.length !== 1) throw new UsageError("domain check <name>");
      const check = await checkName(args[0]);
      const shown = check.unicode && check.unicode !== check.name ? `${check.unicode} (${check.name})` : check.name || check.input;
      return { output: `${shown}: ${check.verdict}: ${check.reason}`, code: check.verdict === "available" ? 0 : 1 };
    }
    case "domain register": {
      const slug = option(args, "--tenant");
      const years = yearsOption(args);
      if (args.length !== 1 || !slug) throw new UsageError("domain register <name> --tenant <slug> [--years N]");
      const tenant = await client.tenant.findUnique({ where: { slug } });
      if (!tenant) throw new NotFoundError(`tenant ${slug}`);
      const result = await registerDomainFor({ tenantId: tenant.id, name: args[0], years }, CLI_ACTOR);
      return [`registered ${result.info.name} for tenant ${slug} until ${result.info.expiresAt.toISOString()}, on our nameservers`, ...describeParentChanges(result)].join("\n");
    }
    case "domain renew": {
      const years = yearsOption(args);
      if (args.length !== 1) throw new UsageError("domain renew <name> [--years N]");
      const result = await registryFor(args[0]).renew(args[0], years, { actor: CLI_ACTOR });
      return `renewed ${result.info.name} until ${result.info.expiresAt.toISOString()}`;
    }
    case "domain info": {
      if (args.length !== 1) throw new UsageError("domain info <name>");
      const info = await registryFor(args[0]).info(args[0]);
      if (!info) throw new NotFoundError(`registration of ${args[0]}`);
      return describeRegistration(info);
    }
    case "domain nameservers": {
      const ours = flag(args, "--ours");
      const force = flag(args, "--force");
      const [name, ...hosts] = args;
      if (!name || (ours ? hosts.length > 0 : hosts.length === 0)) {
        throw new UsageError("domain nameservers <name> --ours | <host>[=<ip>,<ip>...] <host>... [--force]");
      }
      try {
        const done = await switchNameservers(name, ours ? { ours: true } : { ours: false, hosts: hosts.map(hostArgument) }, { force, actor: CLI_ACTOR });
        const info = done.result.info;
        return [
          ...(done.preflight?.hosts.map((h) => `pre-flight: ${h.name} ${h.message}`) ?? []),
          `${info.name} now delegated to ${info.mode === "hosted" ? "our nameservers: " : ""}${info.nameservers.map((n) => n.name).join(", ")}`,
          ...(done.zoneCreated ? [`created zone ${info.name} (SOA + our NS)`] : []),
          ...describeParentChanges(done.result),
        ].join("\n");
      } catch (e) {
        if (e instanceof PreflightError) {
          const failing = e.preflight.hosts.filter((h) => h.outcome !== "ok").map((h) => `${h.name} ${h.message}`);
          throw new ValidationError([{ path: [], message: `pre-flight failed: ${failing.join("; ")}; nothing changed (use --force to switch anyway)` }]);
        }
        throw e;
      }
    }
    case "domain lock":
    case "domain unlock": {
      if (args.length !== 1) throw new UsageError(`domain ${verb} <name>`);
      const result = await registryFor(args[0]).setTransferLock(args[0], verb === "lock", { actor: CLI_ACTOR });
      return `${result.info.name}: transfer lock ${result.info.transferLock ? "on" : "off"}`;
    }
    case "domain autorenew": {
      const [name, state] = args;
      if (args.length !== 2 || (state !== "on" && state !== "off")) throw new UsageError("domain autorenew <name> on|off");
      const result = await registryFor(name).setAutoRenew(name, state === "on", { actor: CLI_ACTOR });
      return `${result.info.name}: auto-renew ${result.info.autoRenew ? "on" : "off"}`;
    }
    case "tenant add": {
      const [slug, ...name] = args;
      if (!slug || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) throw new UsageError("tenant add <slug>: slug is lowercase letters, digits and hyphens");
      const tenant = await client.tenant.create({ data: { slug, name: name.join(" ") || slug } }).catch((e: unknown) => {
        // Only a unique-constraint violation means the slug is taken; anything else (the
        // database is away...) is reported as itself.
        if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
          throw new ValidationError([{ path: ["slug"], message: `tenant ${slug} already exists` }]);
        }
        throw e;
      });
      return `created tenant ${tenant.slug}`;
    }
    case "domain add": {
      const slug = option(args, "--tenant");
      if (args.length !== 1 || !slug) throw new UsageError("domain add <domain> --tenant <slug>");
      const tenant = await client.tenant.findUnique({ where: { slug } });
      if (!tenant) throw new NotFoundError(`tenant ${slug}`);
      const { change } = await hostDomainRegisteredElsewhere({ tenantId: tenant.id, name: args[0] }, CLI_ACTOR);
      return `created zone ${change.zoneName} for tenant ${slug}\n${describeChange(change)}`;
    }
    case "domain ls": {
      const zones = await client.zone.findMany({
        orderBy: { name: "asc" },
        include: { tenant: true, _count: { select: { records: true } }, registryTld: true, domain: { include: { registration: true, delegation: true } } },
      });
      const where = (z: (typeof zones)[number]) => {
        if (z.registryTld) return "registry TLD";
        const reg = z.domain?.registration;
        const ns = z.domain?.delegation?.mode === "external" ? "custom nameservers" : "our nameservers";
        return reg ? `registered here (${reg.status}, until ${day(reg.expiresAt)}), ${ns}` : "registered elsewhere";
      };
      return zones.map((z) => `${z.name}\t${z.tenant?.slug ?? "(platform)"}\tserial ${z.serial}\t${z._count.records} records\t${where(z)}`).join("\n");
    }
    case "record add": {
      const [domain, name, type, ttl, ...content] = args;
      if (!domain || !name || !type || !ttl || content.length === 0) throw new UsageError("record add <domain> <name> <type> <ttl> <content...>");
      const zone = await findZoneByName(domain);
      const change = await applyChangeSet(zone.id, { add: [{ name, type, ttl, content: content.join(" ") }] }, CLI_ACTOR);
      return describeChange(change);
    }
    case "record rm": {
      const [domain, name, type, ...content] = args;
      if (!domain || !name || !type) throw new UsageError("record rm <domain> <name> <type> [content...]");
      const zone = await findZoneByName(domain);
      const change = await applyChangeSet(zone.id, { remove: [{ name, type, content: content.join(" ") || undefined }] }, CLI_ACTOR);
      return describeChange(change);
    }
    case "record ls": {
      if (args.length !== 1) throw new UsageError("record ls <domain>");
      const zone = await findZoneByName(args[0]);
      const records = await client.record.findMany({ where: { zoneId: zone.id } });
      return formatZoneFile({ ...zone, serial: Number(zone.serial) }, records).trimEnd();
    }
    default:
      throw new UsageError(noun ? `unknown command "${[noun, verb].filter(Boolean).join(" ")}"` : "no command given");
  }
}
