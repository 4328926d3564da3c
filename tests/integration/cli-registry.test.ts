// The registry's CLI commands as an operator runs them: same lib functions as the panel,
// one-line errors, non-zero exit, nothing written on error.
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { cli } from "../helpers/cli.ts";
import { uniqueLabel } from "../helpers/factories.ts";
import { parentRecords, parentSerial } from "../helpers/registry.ts";

const oneErrorLine = (stderr: string) => stderr.trim().split("\n");

/** A tenant, a TLD and a domain registered in it, made with the CLI itself. */
async function registeredWithCli() {
  const tld = uniqueLabel("tld");
  const tenant = uniqueLabel("cli-");
  await cli("tenant", "add", tenant);
  await cli("registry", "tld", "add", tld);
  const name = `${uniqueLabel("shop")}.${tld}`;
  await cli("domain", "register", name, "--tenant", tenant);
  return { tld, tenant, name };
}

describe("npm run cli -- registry / domain", { timeout: 240_000 }, () => {
  it("adds a TLD, checks, registers, shows, renews, locks and switches nameservers", async () => {
    const tld = uniqueLabel("tld");
    const tenant = uniqueLabel("cli-");
    expect((await cli("tenant", "add", tenant)).code).toBe(0);
    const added = await cli("registry", "tld", "add", tld, "--ttl", "600");
    expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining(`created registry TLD ${tld}`) });
    expect((await db().registryTld.findUniqueOrThrow({ where: { name: tld } })).delegationTtl).toBe(600);

    const name = `${uniqueLabel("shop")}.${tld}`;
    expect(await cli("domain", "check", name)).toMatchObject({ code: 0, stdout: `${name}: available: ${name} is available\n` });
    const invalid = await cli("domain", "check", `www.${name}`);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/invalid: only names directly under/);

    const registered = await cli("domain", "register", name, "--tenant", tenant, "--years", "2");
    expect(registered.code).toBe(0);
    expect(registered.stdout).toMatch(new RegExp(`registered ${name} for tenant ${tenant} until \\d{4}-`));
    expect(registered.stdout).toMatch(new RegExp(`zone ${tld} serial \\d+; visible everywhere by`));
    expect(await parentRecords(tld, name)).toEqual(["NS ns1.example.net.", "NS ns2.example.net."]);
    expect((await cli("domain", "check", name)).stdout).toMatch(/taken/);

    const info = await cli("domain", "info", name);
    expect(info.stdout).toMatch(/status:\s+active \(clientTransferProhibited\)/);
    expect(info.stdout).toMatch(/auto-renew:\s+on/);
    expect(info.stdout).toMatch(/nameservers:\s+ours/);

    expect((await cli("domain", "unlock", name)).stdout).toContain("transfer lock off");
    expect((await cli("domain", "autorenew", name, "off")).stdout).toContain("auto-renew off");
    const before = await db().registration.findFirstOrThrow({ where: { domain: { name } } });
    expect((await cli("domain", "renew", name, "--years", "3")).code).toBe(0);
    const after = await db().registration.findFirstOrThrow({ where: { domain: { name } } });
    expect(after.expiresAt.getUTCFullYear()).toBe(before.expiresAt.getUTCFullYear() + 3);

    const custom = await cli("domain", "nameservers", name, `ns1.${name}=192.0.2.53,2001:db8::53`, "ns2.other.net", "--force");
    expect(custom.code).toBe(0);
    expect(custom.stdout).toContain(`now delegated to ns1.${name}, ns2.other.net`);
    expect(await parentRecords(tld, name)).toEqual([`NS ns1.${name}.`, "NS ns2.other.net."]);
    expect(await parentRecords(tld, `ns1.${name}`)).toEqual(["A 192.0.2.53", "AAAA 2001:db8::53"]);

    const ours = await cli("domain", "nameservers", name, "--ours");
    expect(ours.stdout).toContain("now delegated to our nameservers: ns1.example.net, ns2.example.net");
    expect(await parentRecords(tld, `ns1.${name}`)).toEqual([]);
  });

  it("one error line, a non-zero exit, nothing written", async () => {
    const { tld, tenant, name } = await registeredWithCli();
    const serial = await parentSerial(tld);

    const noGlue = await cli("domain", "nameservers", name, `ns1.${name}`, "ns2.other.net", "--force");
    expect(noGlue.code).not.toBe(0);
    expect(oneErrorLine(noGlue.stderr)).toEqual([expect.stringMatching(new RegExp(`^error: nameservers\\[0\\]\\.addresses: ns1\\.${name.replace(/\./g, "\\.")} is inside`))]);

    // Without --force, the pre-flight asks the new nameservers first: these cannot answer.
    const lame = await cli("domain", "nameservers", name, `ns1.${name}=127.0.0.254`, `ns2.${name}=127.0.0.254`);
    expect(lame.code).not.toBe(0);
    expect(oneErrorLine(lame.stderr)).toEqual([expect.stringMatching(/^error: pre-flight failed: .*nothing changed \(use --force to switch anyway\)$/)]);

    const tooLong = await cli("domain", "renew", name, "--years", "10");
    expect(oneErrorLine(tooLong.stderr)).toEqual(["error: years: a domain can be registered at most 10 years ahead: renew for at most 9 years"]);
    const taken = await cli("domain", "register", name, "--tenant", tenant);
    expect(oneErrorLine(taken.stderr)).toEqual([`error: name: ${name} is already registered`]);
    const unknown = await cli("domain", "info", `nothere.${tld}`);
    expect(oneErrorLine(unknown.stderr)).toEqual([`error: registration of nothere.${tld} not found`]);
    const usage = await cli("domain", "autorenew", name, "maybe");
    expect(usage.code).toBe(2);
    const badDate = await cli("registry", "tick", "--at", "next tuesday");
    expect(badDate.code).toBe(2);

    expect(await parentSerial(tld)).toBe(serial);
    expect(await parentRecords(tld, name)).toEqual(["NS ns1.example.net.", "NS ns2.example.net."]);
  });

  it("registry tick --at moves the clock: expiry, grace, then the delegation goes", async () => {
    const { tld, name } = await registeredWithCli();
    await cli("domain", "autorenew", name, "off");
    const { expiresAt } = await db().registration.findFirstOrThrow({ where: { domain: { name } } });
    const at = (days: number) => new Date(expiresAt.getTime() + days * 86_400_000).toISOString();

    const grace = await cli("registry", "tick", "--at", at(1), "--tld", tld);
    expect(grace.stdout).toContain(`${name}: expired: grace period`);
    const gone = await cli("registry", "tick", "--at", at(31), "--tld", tld);
    expect(gone.stdout).toContain(`${name}: grace period over: delegation removed`);
    expect(await parentRecords(tld, name)).toEqual([]);
    expect((await cli("domain", "info", name)).stdout).toMatch(/status:\s+redemption/);
    const again = await cli("registry", "tick", "--at", at(31), "--tld", tld);
    expect(again.stdout).toMatch(/: 0 transitions/);
  });
});
