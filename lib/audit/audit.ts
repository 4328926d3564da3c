// The audit log's one writer. Security-relevant actions (sign-ins, roles, suspensions, quota
// changes, domain moves, auth-code reveals, admin views...) each add one entry here, in the
// same transaction as the action where there is one, so an action and its entry commit together.
//
// Entries are never changed or removed: no code updates or deletes AuditLog rows
// (tests/unit/audit-append-only.test.ts checks the source), and the database refuses to
// (a trigger, prisma/migrations/*_platform_administration).
import type { DbClient } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Principal } from "../permissions.ts";

export interface AuditEntry {
  /** The tenant the action concerns (null: platform-wide, e.g. a sign-in). */
  tenantId?: string | null;
  actorId?: string | null;
  /** Who acted, as people read it: an email, "cli", "registry", "system". */
  actorLabel: string;
  /** Dotted and stable: "tenant.suspend", "user.sign-in.failure", "zone.change"... */
  action: string;
  /** What it acted on: a slug, an email, a domain name. */
  target: string;
  clientAddress?: string | null;
  details?: Prisma.InputJsonValue;
}

export async function audit(client: DbClient, entry: AuditEntry): Promise<void> {
  await client.auditLog.create({
    data: {
      tenantId: entry.tenantId ?? null,
      actorId: entry.actorId ?? null,
      actorLabel: entry.actorLabel,
      action: entry.action,
      target: entry.target,
      clientAddress: entry.clientAddress ?? null,
      details: entry.details ?? {},
    },
  });
}

/** The actor fields of an entry for a change's actor (lib/zone/change-set.ts's Actor). */
export function actorFields(actor: { userId?: string | null; label: string; clientAddress?: string | null }): Pick<AuditEntry, "actorId" | "actorLabel" | "clientAddress"> {
  return { actorId: actor.userId ?? null, actorLabel: actor.label, clientAddress: actor.clientAddress ?? null };
}

/** The actor fields of an entry for a signed-in user (with their address, when known). */
export function actorOf(principal: Principal): Pick<AuditEntry, "actorId" | "actorLabel" | "clientAddress"> {
  return { actorId: principal.userId, actorLabel: principal.email, clientAddress: principal.clientAddress ?? null };
}
