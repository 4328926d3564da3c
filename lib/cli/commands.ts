// The operator CLI's commands. Each parses its arguments and calls the same lib/ functions as
// the panel; errors are thrown as lib errors and printed as one line by scripts/cli.ts.
import { db } from "../db/client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { createHostedDomain, findZoneByName } from "../domains.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { fqdn } from "../dns/names.ts";
import { applyChangeSet, type Actor, type ChangeResult } from "../zone/change-set.ts";
import { formatZoneFile } from "../zone/zone-file.ts";

const CLI_ACTOR: Actor = { label: "cli", source: "cli" };

export const USAGE = `usage:
  npm run cli -- tenant add <slug> [name]
  npm run cli -- domain add <domain> --tenant <slug>
  npm run cli -- domain ls
  npm run cli -- record add <domain> <name> <type> <ttl> <content...>
  npm run cli -- record rm <domain> <name> <type> [content...]
  npm run cli -- record ls <domain>
names are relative to the zone ("@" is the apex); content is zone-file presentation format,
e.g. record add example.com @ MX 3600 10 mail.example.com.`;

export class UsageError extends Error {}

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

/** An unexpected error as the CLI prints it: one line (the contract for errors). */
export function describeError(e: unknown): string {
  return isDatabaseUnreachable(e) ? `cannot reach the database: ${messageLine(e)}` : messageLine(e);
}

function option(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (!value || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
  args.splice(i, 2);
  return value;
}

function describeChange(change: ChangeResult): string {
  const lines = [
    ...change.removed.map((r) => `removed ${fqdn(r.name)} ${r.ttl} IN ${r.type} ${r.content}`),
    ...change.added.map((r) => `added ${fqdn(r.name)} ${r.ttl} IN ${r.type} ${r.content}`),
  ];
  return `${lines.join("\n")}\nzone ${change.zoneName} serial ${change.oldSerial} -> ${change.serial}`;
}

export async function runCli(argv: string[]): Promise<string> {
  const args = [...argv];
  const [noun, verb] = args.splice(0, 2);
  const client = db();
  switch (`${noun} ${verb}`) {
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
      const { change } = await createHostedDomain({ tenantId: tenant.id, name: args[0] }, CLI_ACTOR);
      return `created zone ${change.zoneName} for tenant ${slug}\n${describeChange(change)}`;
    }
    case "domain ls": {
      const zones = await client.zone.findMany({ orderBy: { name: "asc" }, include: { tenant: true, _count: { select: { records: true } } } });
      return zones.map((z) => `${z.name}\t${z.tenant?.slug ?? "(platform)"}\tserial ${z.serial}\t${z._count.records} records`).join("\n");
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
