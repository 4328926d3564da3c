// The operator CLI as a user runs it: a separate process against the same database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query, soaSerial } from "../helpers/dns-client.ts";
import { cli, cliWith } from "../helpers/cli.ts";
import { uniqueLabel } from "../helpers/factories.ts";
import { eventually, startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";

let ns: NameserverProcess;
beforeAll(async () => {
  ns = await startNameserver();
});
afterAll(async () => ns?.stop());

// A CLI call starts Node, tsx and Prisma: seconds on a busy 2-core machine, so these tests get minutes.
describe("npm run cli", { timeout: 180_000 }, () => {
  it("creates a zone, adds, lists and removes records, and dig sees each change with its serial", async () => {
    const tenant = uniqueLabel("cli-");
    const domain = `${uniqueLabel("cli")}.test`;
    expect((await cli("tenant", "add", tenant)).code).toBe(0);
    const created = await cli("domain", "add", domain, "--tenant", tenant);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`created zone ${domain}`);

    const added = await cli("record", "add", domain, "@", "MX", "3600", "10", `mail.${domain}.`);
    expect(added.code).toBe(0);
    const serial = Number(/serial \d+ -> (\d+)/.exec(added.stdout)![1]);
    await eventually(async () => {
      const r = await query(ns.port, domain, "MX");
      expect(r.answers!.map((a) => a.data)).toEqual([{ preference: 10, exchange: `mail.${domain}` }]);
      expect(soaSerial(await query(ns.port, domain, "SOA"))).toBe(serial);
    });

    expect((await cli("record", "add", domain, "www", "A", "300", "192.0.2.10")).code).toBe(0);
    const ls = await cli("record", "ls", domain);
    const lines = ls.stdout.trim().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^${domain}\\.\\s+3600\\s+IN\\s+SOA\\s+ns1\\.example\\.net\\. hostmaster\\.example\\.net\\. \\d+`));
    expect(lines).toContain(`www.${domain}.\t300\tIN\tA\t192.0.2.10`);
    expect(lines).toContain(`${domain}.\t3600\tIN\tMX\t10 mail.${domain}.`);

    const removed = await cli("record", "rm", domain, "www", "A", "192.0.2.10");
    expect(removed.code).toBe(0);
    await eventually(async () => expect((await query(ns.port, `www.${domain}`, "A")).rcode).toBe("NXDOMAIN"));
  });

  it("prints one clear error line, exits non-zero and writes nothing", async () => {
    const tenant = uniqueLabel("cli-");
    const domain = `${uniqueLabel("cli")}.test`;
    await cli("tenant", "add", tenant);
    await cli("domain", "add", domain, "--tenant", tenant);
    const before = (await cli("record", "ls", domain)).stdout;

    const badIp = await cli("record", "add", domain, "www", "A", "300", "192.0.2.300");
    expect(badIp.code).not.toBe(0);
    expect(badIp.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^error: add\[0\]\.address: not a valid IPv4 address/)]);

    const apexCname = await cli("record", "add", domain, "@", "CNAME", "300", "other.example.net.");
    expect(apexCname.code).not.toBe(0);
    expect(apexCname.stderr).toMatch(/apex/);

    const badTtl = await cli("record", "add", domain, "www", "A", "0", "192.0.2.1");
    expect(badTtl.stderr).toMatch(/TTL must be at least 1/);

    const noZone = await cli("record", "add", "missing.test", "www", "A", "300", "192.0.2.1");
    expect(noZone.code).not.toBe(0);
    expect(noZone.stderr).toMatch(/zone missing\.test not found/);

    const missing = await cli("record", "rm", domain, "nothere", "A");
    expect(missing.stderr).toMatch(/no A record at nothere/);

    const usage = await cli("record", "add", domain);
    expect(usage.code).toBe(2);

    const again = await cli("tenant", "add", tenant);
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim().split("\n")).toEqual([`error: slug: tenant ${tenant} already exists`]);

    expect((await cli("record", "ls", domain)).stdout).toBe(before);
  });

  it("a database it cannot reach: one error line, exit non-zero, not a misleading \"already exists\"", async () => {
    const unreachable = { DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:1/dns" };
    for (const args of [["domain", "ls"], ["tenant", "add", uniqueLabel("cli-")]]) {
      const r = await cliWith(unreachable, ...args);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^error: cannot reach the database: \S/)]);
      expect(r.stderr).not.toMatch(/already exists/);
    }
  });

  it("domain add gives the zone the apex NS records named in NS_NAMES", async () => {
    const tenant = uniqueLabel("cli-");
    const domain = `${uniqueLabel("cli")}.test`;
    const env = { NS_NAMES: "ns1.test-dns.example,ns2.test-dns.example" };
    expect((await cliWith(env, "tenant", "add", tenant)).code).toBe(0);
    expect((await cliWith(env, "domain", "add", domain, "--tenant", tenant)).code).toBe(0);
    const ls = await cli("record", "ls", domain);
    const ns = ls.stdout.trim().split("\n").filter((l) => /\tIN\tNS\t/.test(l));
    expect(ns).toEqual([`${domain}.\t86400\tIN\tNS\tns1.test-dns.example.`, `${domain}.\t86400\tIN\tNS\tns2.test-dns.example.`]);
  });
});
