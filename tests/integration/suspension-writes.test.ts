// A suspended tenant's data changes by no one's hand but a platform admin's, whichever way the
// change comes: the CLI (a real process), the registrar and registry functions, the write path
// itself — not only the panel's permission check. The refusal names the kind and the reason.
// The registry's own clock keeps running.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { ForbiddenError } from "../../lib/errors.ts";
import { CLI_ACTOR } from "../../lib/cli/args.ts";
import { hostDomainRegisteredElsewhere } from "../../lib/domains.ts";
import { registryFor } from "../../lib/registry/local-registry.ts";
import { addDays, addYears } from "../../lib/registry/lifecycle.ts";
import { supportContact } from "../../lib/tenancy/suspension.ts";
import { tick } from "../../lib/registry/scheduler.ts";
import { registerDomainFor, setAutoRenew, setTransferLock, switchNameservers } from "../../lib/registrar/domains.ts";
import { addRecord, deleteRecords } from "../../lib/zone/record-edits.ts";
import { applyChangeSet, type Actor } from "../../lib/zone/change-set.ts";
import type { SuspensionKind } from "../../lib/tenancy/suspension.ts";
import { cli } from "../helpers/cli.ts";
import { createTenant, createZone, TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { member, person } from "../helpers/people.ts";
import { createTld, parentSerial, registerFresh } from "../helpers/registry.ts";

const REASONS: Record<SuspensionKind, string> = { billing: "unpaid invoice", abuse: "phishing" };
const API_ACTOR: Actor = { label: "token", source: "api" };
const registry = registryFor();

let tld: string;
beforeEach(async () => {
  tld ??= await createTld();
});

/** A tenant with a hosted zone, a domain registered in `inTld`, an owner; suspended as `kind`. */
async function suspendedTenant(kind: SuspensionKind, inTld = tld) {
  const tenant = await createTenant();
  const zone = await createZone([{ name: "www", type: "A", ttl: 300, content: "192.0.2.1" }], { tenantId: tenant.id });
  const registered = await registerFresh(inTld, { tenantId: tenant.id });
  const { principal: owner } = await member(tenant.id, "owner");
  await db().tenant.update({ where: { id: tenant.id }, data: { status: "suspended", suspensionKind: kind, suspensionReason: REASONS[kind], suspendedAt: new Date() } });
  return { tenant, zone, registered: registered.name, owner };
}

/** What a refused write must have left alone. */
async function state(f: Awaited<ReturnType<typeof suspendedTenant>>) {
  const zone = await db().zone.findUniqueOrThrow({ where: { id: f.zone.zoneId } });
  const registration = await db().registration.findFirstOrThrow({ where: { domain: { name: f.registered } } });
  return {
    serial: Number(zone.serial),
    records: await db().record.count({ where: { zone: { tenantId: f.tenant.id } } }),
    journal: await db().zoneChange.count({ where: { zone: { tenantId: f.tenant.id } } }),
    domains: await db().domain.count({ where: { tenantId: f.tenant.id } }),
    registration: { expiresAt: registration.expiresAt, autoRenew: registration.autoRenew, transferLock: registration.transferLock, ds: registration.ds, status: registration.status },
    delegation: await db().delegation.findFirstOrThrow({ where: { domain: { name: f.registered } }, select: { mode: true } }),
    parentSerial: await parentSerial(tld),
  };
}

const message = (f: { tenant: { name: string } }, kind: SuspensionKind) => `${f.tenant.name} is suspended for ${kind} (${REASONS[kind]}): changes are disabled`;

describe("a suspended tenant's data", () => {
  for (const kind of ["billing", "abuse"] as const) {
    it(`${kind}: the write path, the registrar and the registry refuse every change with the reason; nothing is written`, async () => {
      const f = await suspendedTenant(kind);
      const before = await state(f);
      const refusals: (() => Promise<unknown>)[] = [
        () => applyChangeSet(f.zone.zoneId, { add: [{ name: "api", type: "A", content: "192.0.2.2" }] }, CLI_ACTOR),
        () => applyChangeSet(f.zone.zoneId, { remove: [{ name: "www", type: "A" }] }, API_ACTOR),
        () => hostDomainRegisteredElsewhere({ tenantId: f.tenant.id, name: `${uniqueLabel("q")}.example` }, CLI_ACTOR),
        () => registerDomainFor({ tenantId: f.tenant.id, name: `${uniqueLabel("r")}.${tld}`, years: 1 }, CLI_ACTOR),
        () => switchNameservers(f.registered, { ours: false, hosts: [{ name: "ns1.elsewhere.example" }, { name: "ns2.elsewhere.example" }] }, { force: true, actor: CLI_ACTOR }),
        () => registry.renew(f.registered, 1, { actor: CLI_ACTOR }),
        () => registry.setTransferLock(f.registered, false, { actor: CLI_ACTOR }),
        () => registry.setAutoRenew(f.registered, false, { actor: CLI_ACTOR }),
        () => registry.setDs(f.registered, ["12345 13 2 " + "ab".repeat(32)], { actor: CLI_ACTOR }),
        () => registry.regenerateAuthCode(f.registered, { actor: CLI_ACTOR }),
        () => registry.delete(f.registered, { actor: CLI_ACTOR }),
      ];
      for (const refusal of refusals) {
        const error = await refusal().then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(ForbiddenError);
        expect((error as Error).message).toContain(message(f, kind));
      }
      expect(await state(f)).toEqual(before);
    });
  }

  it("billing: the CLI's record add, domain nameservers and domain autorenew are refused with the reason", { timeout: 240_000 }, async () => {
    const f = await suspendedTenant("billing");
    const before = await state(f);
    const runs = [
      await cli("record", "add", f.zone.name, "api", "A", "300", "192.0.2.2"),
      // Refused before the pre-flight asks the new nameservers anything.
      await cli("domain", "nameservers", f.registered, "ns1.elsewhere.example", "ns2.elsewhere.example"),
      await cli("domain", "autorenew", f.registered, "off"),
    ];
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(`error: ${message(f, "billing")}; contact ${supportContact()}`);
    }
    expect(await state(f)).toEqual(before);
  });

  it("abuse: the CLI's record add is refused with the reason", { timeout: 240_000 }, async () => {
    const f = await suspendedTenant("abuse");
    const before = await state(f);
    const run = await cli("record", "add", f.zone.name, "api", "A", "300", "192.0.2.2");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: ${message(f, "abuse")}`);
    expect(await state(f)).toEqual(before);
  });

  it("a platform admin may still change it in the panel, audited as one; its members may not", async () => {
    const f = await suspendedTenant("abuse");
    const admin = await person({ platform: true });
    const ref = { tenant: f.tenant.slug, domain: f.zone.name };
    await expect(addRecord(f.owner, ref, { name: "api", type: "A", content: "192.0.2.2" })).rejects.toThrow(message(f, "abuse"));
    const change = await addRecord(admin, ref, { name: "api", type: "A", content: "192.0.2.2" });
    const entry = await db().auditLog.findFirstOrThrow({ where: { tenantId: f.tenant.id, action: "zone.change", actorId: admin.userId } });
    expect(entry.details).toMatchObject({ serial: change.serial, platformAdmin: true });
    const www = await db().record.findFirstOrThrow({ where: { zoneId: f.zone.zoneId, name: `www.${f.zone.name}` } });
    await deleteRecords(admin, ref, [www]);
    await setAutoRenew(admin, { tenant: f.tenant.slug, domain: f.registered }, false);
    await setTransferLock(admin, { tenant: f.tenant.slug, domain: f.registered }, false);
    expect(await db().registration.findFirstOrThrow({ where: { domain: { name: f.registered } } })).toMatchObject({ autoRenew: false, transferLock: false });
  });

  it("the registry's clock keeps running: a suspended tenant's domain auto-renews, or expires", async () => {
    const ownTld = await createTld(); // ticked alone: no other test's domains in it
    const f = await suspendedTenant("billing", ownTld);
    const second = (await registerFresh(ownTld, { tenantId: f.tenant.id })).name; // as the platform: not refused
    await registry.setAutoRenew(second, false, { actor: TEST_ACTOR });
    const expiresAt = (await db().registration.findFirstOrThrow({ where: { domain: { name: f.registered } } })).expiresAt;
    const report = await tick(addDays(expiresAt, 1), { tlds: [ownTld] });
    expect(report.transitions).toContain(`${f.registered}: renewed automatically until ${addYears(expiresAt, 1).toISOString().slice(0, 10)}`);
    expect(report.transitions).toContain(`${second}: expired: grace period`);
    expect((await db().registration.findFirstOrThrow({ where: { domain: { name: second } } })).status).toBe("grace");
  });

  it("lifted, its changes go through again", async () => {
    const f = await suspendedTenant("billing");
    await db().tenant.update({ where: { id: f.tenant.id }, data: { status: "active", suspensionKind: null, suspensionReason: null, suspendedAt: null } });
    await applyChangeSet(f.zone.zoneId, { add: [{ name: "api", type: "A", content: "192.0.2.2" }] }, CLI_ACTOR);
    await registry.setAutoRenew(f.registered, false, { actor: CLI_ACTOR });
  });
});
