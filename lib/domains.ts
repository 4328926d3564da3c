// Domains and their zones. A hosted domain gets a zone whose apex NS records are our
// nameservers (NS_NAMES); creating both is one transaction, and the NS records go through the
// write path like any other record.
import { db, type Db } from "./db/client.ts";
import { hostingConfig } from "./config.ts";
import { NameError, normalizeAbsoluteName } from "./dns/names.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import { applyChangeSetInTransaction, WRITE_TRANSACTION, type Actor, type ChangeResult } from "./zone/change-set.ts";
import { dateSerial } from "./zone/serial.ts";

export function normalizeDomainName(input: string): string {
  let name: string;
  try {
    name = normalizeAbsoluteName(input);
  } catch (e) {
    throw new ValidationError([{ path: ["name"], message: e instanceof NameError ? e.message : "not a valid domain name" }]);
  }
  if (name.split(".").length < 2) throw new ValidationError([{ path: ["name"], message: `"${input}" is not a domain name (e.g. example.com)` }]);
  return name;
}

export async function createHostedDomain(
  input: { tenantId: string; name: string },
  actor: Actor,
  client: Db = db(),
): Promise<{ domainId: string; zoneId: string; change: ChangeResult }> {
  const name = normalizeDomainName(input.name);
  const config = hostingConfig();
  return client.$transaction(async (tx) => {
    if (await tx.domain.findUnique({ where: { name } })) {
      throw new ValidationError([{ path: ["name"], message: `${name} is already registered here` }]);
    }
    const tenant = await tx.tenant.findUnique({ where: { id: input.tenantId } });
    if (!tenant) throw new NotFoundError("tenant");
    const domain = await tx.domain.create({
      data: {
        tenantId: tenant.id,
        name,
        delegation: {
          create: { mode: "hosted", nameservers: { create: config.nameservers.map((hostname, position) => ({ hostname, position })) } },
        },
      },
    });
    const zone = await tx.zone.create({
      data: {
        name,
        tenantId: tenant.id,
        domainId: domain.id,
        serial: BigInt(dateSerial(new Date())),
        primaryNs: config.nameservers[0],
        hostmaster: config.hostmaster,
      },
    });
    await tx.auditLog.create({
      data: { tenantId: tenant.id, actorId: actor.userId ?? null, actorLabel: actor.label, action: "domain.create", target: name, details: { source: actor.source } },
    });
    const change = await applyChangeSetInTransaction(
      tx,
      zone.id,
      { add: config.nameservers.map((ns) => ({ name: "@", type: "NS", ttl: 86400, content: `${ns}.` })) },
      actor,
    );
    return { domainId: domain.id, zoneId: zone.id, change };
  }, WRITE_TRANSACTION);
}

/** The zone of a domain by name, optionally only within one tenant (others answer not found). */
export async function findZoneByName(name: string, opts: { tenantId?: string } = {}, client: Db = db()) {
  let normalized: string;
  try {
    normalized = normalizeAbsoluteName(name);
  } catch {
    throw new NotFoundError(`zone ${name}`);
  }
  const zone = await client.zone.findUnique({ where: { name: normalized } });
  if (!zone || (opts.tenantId !== undefined && zone.tenantId !== opts.tenantId)) throw new NotFoundError(`zone ${normalized}`);
  return zone;
}
