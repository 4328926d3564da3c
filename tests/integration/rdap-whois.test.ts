// RDAP (app/_handlers/rdap.ts, with real Request objects) and WHOIS (lib/registry/whois.ts,
// over a real TCP socket on loopback) against registrations in the real database: answers,
// errors, the per-address rate limit, and a WHOIS server that survives garbage and silence.
import { execFile } from "node:child_process";
import net from "node:net";
import { promisify } from "node:util";
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rdapDomainResponse, rdapHelpResponse, rdapNameserverResponse } from "../../app/_handlers/rdap.ts";
import { freePort } from "../../lib/db/embedded-postgres.ts";
import { registryFor } from "../../lib/registry/local-registry.ts";
import { switchNameservers } from "../../lib/registrar/domains.ts";
import { MAX_QUERY_BYTES, startWhoisServer, type WhoisServer } from "../../lib/registry/whois.ts";
import { TEST_ACTOR } from "../helpers/factories.ts";
import { createTld, registerFresh } from "../helpers/registry.ts";

const force = { force: true, actor: TEST_ACTOR };
const DIGEST = "2bb183af5f22588179a53b0a98631fad1a292118d2b1b6c3f0e4f5a6b7c8d9e0";

/** An address of its own per test, so the rate limit of one test never touches another. */
const clientIp = () => `2001:db8:${randomInt(0xffff).toString(16)}:${randomInt(0xffff).toString(16)}::1`;

function get(path: string, ip = clientIp()): Request {
  return new Request(`http://rdap.example.test${path}`, { headers: { "x-forwarded-for": ip } });
}

/** Runs `work` with environment variables set (undefined: unset), then restores them. */
async function withEnv<T>(vars: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await work();
  } finally {
    apply(before);
  }
}

async function rdap(kind: "domain" | "nameserver", name: string, ip?: string) {
  const request = get(`/rdap/${kind}/${encodeURIComponent(name)}`, ip);
  const response = kind === "domain" ? await rdapDomainResponse(request, { name }) : await rdapNameserverResponse(request, { name });
  return { response, status: response.status, body: await response.json() };
}

describe("RDAP", () => {
  it("a registered domain: 200, application/rdap+json, status, events, nameservers, redacted registrant", async () => {
    const tld = await createTld();
    const { name, info } = await registerFresh(tld);
    const { response, status, body } = await withEnv({ NEXTAUTH_URL: undefined }, () => rdap("domain", name.toUpperCase()));
    expect(status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/rdap+json");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(body).toMatchObject({
      rdapConformance: expect.arrayContaining(["rdap_level_0", "redacted"]),
      objectClassName: "domain",
      ldhName: name,
      status: ["client transfer prohibited"],
      nameservers: [
        { objectClassName: "nameserver", ldhName: "ns1.example.net" },
        { objectClassName: "nameserver", ldhName: "ns2.example.net" },
      ],
      secureDNS: { delegationSigned: false },
      entities: [{ objectClassName: "entity", roles: ["registrant"], vcardArray: ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", ""]]] }],
      redacted: expect.arrayContaining([expect.objectContaining({ name: { description: "Registrant Name" }, method: "emptyValue" })]),
      links: [{ rel: "self", href: `http://rdap.example.test/rdap/domain/${name}` }],
      notices: [expect.objectContaining({ title: "Terms of Use" })],
    });
    const events = Object.fromEntries(body.events.map((e: { eventAction: string; eventDate: string }) => [e.eventAction, e.eventDate]));
    expect(new Date(events.registration).getTime()).toBe(Math.floor(info.registeredAt.getTime() / 1000) * 1000);
    expect(new Date(events.expiration).getTime()).toBe(Math.floor(info.expiresAt.getTime() / 1000) * 1000);
    expect(events).toHaveProperty(["last changed"]);
    expect(events).toHaveProperty(["last update of RDAP database"]);
    // Nothing about the tenant that holds it.
    expect(JSON.stringify(body)).not.toContain("tenant-");
    // Behind a proxy Next's request URL is the local listener: the public URL, when set, wins.
    const proxied = await withEnv({ NEXTAUTH_URL: "https://panel.example.net/" }, () => rdap("domain", name));
    expect(proxied.body.links).toEqual([expect.objectContaining({ href: `https://panel.example.net/rdap/domain/${name}` })]);
  });

  it("custom nameservers with glue, DS, an IDN, a domain in redemption", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    await switchNameservers(name, { ours: false, hosts: [{ name: `ns1.${name}`, addresses: ["192.0.2.53", "2001:db8::53"] }, { name: "ns.other.net" }] }, force);
    await registryFor(name).setDs(name, [`12345 13 2 ${DIGEST}`], { actor: TEST_ACTOR });
    const { body } = await rdap("domain", name);
    expect(body.nameservers).toEqual([
      expect.objectContaining({ ldhName: `ns1.${name}`, ipAddresses: { v4: ["192.0.2.53"], v6: ["2001:db8::53"] } }),
      { objectClassName: "nameserver", ldhName: "ns.other.net" },
    ]);
    expect(body.secureDNS).toEqual({ delegationSigned: true, dsData: [{ keyTag: 12345, algorithm: 13, digestType: 2, digest: DIGEST.toUpperCase() }] });

    // The glue host as a nameserver object; our own nameservers too; hosts elsewhere are not ours.
    const host = await rdap("nameserver", `ns1.${name}`);
    expect(host.status).toBe(200);
    expect(host.body).toMatchObject({ objectClassName: "nameserver", ldhName: `ns1.${name}`, ipAddresses: { v4: ["192.0.2.53"], v6: ["2001:db8::53"] }, status: ["active", "associated"] });
    const ours = await rdap("nameserver", "ns1.example.net");
    expect(ours.status).toBe(200);
    expect(ours.body).not.toHaveProperty("ipAddresses");
    expect((await rdap("nameserver", "ns.other.net")).status).toBe(404);
    expect((await rdap("nameserver", `ns9.${name}`)).body).toMatchObject({ errorCode: 404, title: "Not Found" });

    const idn = await registerFresh(tld, { label: "xn--bcher-kva" });
    const found = await rdap("domain", `bücher.${tld}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ ldhName: idn.name, unicodeName: `bücher.${tld}` });

    const gone = await registerFresh(tld);
    await registryFor(gone.name).delete(gone.name, { actor: TEST_ACTOR });
    expect((await rdap("domain", gone.name)).body.status).toEqual(expect.arrayContaining(["redemption period", "pending delete"]));
  });

  it("unknown names, TLDs we do not run and garbage: RDAP error bodies", async () => {
    const tld = await createTld();
    const unknown = await rdap("domain", `nobody-here.${tld}`);
    expect(unknown.status).toBe(404);
    expect(unknown.response.headers.get("content-type")).toBe("application/rdap+json");
    expect(unknown.body).toMatchObject({ errorCode: 404, title: "Not Found", description: [expect.stringContaining(`nobody-here.${tld}`)] });

    const elsewhere = await rdap("domain", "example.nowhere-zz");
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.description.join(" ")).toMatch(/not authoritative/);

    for (const garbage of ["not a domain!", "a..b", "-x.test", "x".repeat(300), "%E0%A4%A", "_srv.example.test"]) {
      const r = await rdap("domain", garbage);
      expect(r.status, garbage).toBe(400);
      expect(r.body).toMatchObject({ errorCode: 400, title: "Bad Request", description: [expect.any(String)] });
    }
    const hostile = await rdapDomainResponse(get("/rdap/domain/x"), { name: { not: "" } });
    expect(hostile.status).toBe(400);
  });

  it("help: notices only", async () => {
    const tld = await createTld();
    const response = await rdapHelpResponse(get("/rdap/help"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/rdap+json");
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(["notices", "rdapConformance"]);
    expect(JSON.stringify(body.notices)).toContain(`.${tld}`);
  });

  it("rate limit: 429 with Retry-After after RDAP_RATE_LIMIT requests from one address; others still served", async () => {
    await withEnv({ RDAP_RATE_LIMIT: "5" }, async () => {
      const tld = await createTld();
      const { name } = await registerFresh(tld);
      const ip = clientIp();
      // What the client itself claims in X-Forwarded-For does not change who it is (the last entry).
      for (let i = 0; i < 5; i++) expect((await rdapHelpResponse(get("/rdap/help", `10.0.0.${i}, ${ip}`))).status).toBe(200);
      const limited = await rdap("domain", name, ip);
      expect(limited.status).toBe(429);
      expect(Number(limited.response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(limited.response.headers.get("retry-after"))).toBeLessThanOrEqual(60);
      expect(limited.response.headers.get("content-type")).toBe("application/rdap+json");
      expect(limited.body).toMatchObject({ errorCode: 429, description: [expect.stringContaining("per minute")] });
      // The same /64 is the same client; another address is served.
      expect((await rdap("domain", name, ip.replace(/::1$/, "::2"))).status).toBe(429);
      expect((await rdap("domain", name, clientIp())).status).toBe(200);
    });
  });
});

describe("WHOIS over TCP", () => {
  const TIMEOUT_MS = 1500;
  let server: WhoisServer;

  beforeAll(async () => {
    server = await startWhoisServer({ port: await freePort(), address: "127.0.0.1", timeoutMs: TIMEOUT_MS });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Connects, sends `payload` (or nothing), and resolves with everything received once the server closes. */
  function exchange(payload: string | Buffer | null, opts: { end?: boolean } = {}): Promise<{ text: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const chunks: Buffer[] = [];
      const socket = net.connect({ port: server.port, host: "127.0.0.1" }, () => {
        if (payload !== null) socket.write(payload);
        if (opts.end) socket.end();
      });
      socket.on("data", (c) => chunks.push(c));
      socket.on("error", reject);
      socket.on("close", () => resolve({ text: Buffer.concat(chunks).toString("utf8"), ms: Date.now() - started }));
    });
  }

  it("a registered name, a glue host, an unknown name", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    await switchNameservers(name, { ours: false, hosts: [{ name: `ns1.${name}`, addresses: ["192.0.2.53"] }, { name: "ns.other.net" }] }, force);

    const { text } = await exchange(`${name}\r\n`);
    expect(text).toMatch(new RegExp(`^Domain Name: ${name.replace(/\./g, "\\.")}\r\n`));
    expect(text).toContain("Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited\r\n");
    expect(text).toContain(`Name Server: ns1.${name}\r\n`);
    expect(text).toContain("Registrant Name: REDACTED FOR PRIVACY\r\n");
    expect(text).toContain("DNSSEC: unsigned\r\n");
    expect(text).toMatch(/>>> Last update of WHOIS database: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ <<<\r\n/);

    expect((await exchange(`nameserver ns1.${name}\r\n`)).text).toMatch(new RegExp(`^Server Name: ns1\\.${name.replace(/\./g, "\\.")}\r\nIP Address: 192\\.0\\.2\\.53\r\n`));
    // A plain host name that is no registration answers as the nameserver.
    expect((await exchange(`ns1.${name}\n`)).text).toMatch(/^Server Name: /);

    expect((await exchange(`nobody-here.${tld}\r\n`)).text).toMatch(new RegExp(`^No match for "nobody-here\\.${tld}"\\.\r\n`));
    expect((await exchange("example.nowhere-zz\r\n")).text).toMatch(/^No match for "example\.nowhere-zz"\.\r\nThis server answers for names under .*\.\r\n/);
    // A client that ends its side without a newline (nc -N) still gets the answer.
    expect((await exchange(name, { end: true })).text).toMatch(/^Domain Name: /);
  });

  it("Debian's whois client reads it (.ci/run installs it)", async () => {
    const tld = await createTld();
    const { name } = await registerFresh(tld);
    // Asynchronously: the server answers from this very process.
    const { stdout } = await promisify(execFile)("whois", ["-h", "127.0.0.1", "-p", String(server.port), name], { timeout: 20_000, encoding: "utf8" });
    expect(stdout).toMatch(new RegExp(`^Domain Name: ${name.replace(/\./g, "\\.")}\r?\n`, "m"));
    expect(stdout).toContain("Registrant Name: REDACTED FOR PRIVACY");
  });

  it("garbage, oversized input and a silent client end that connection only", async () => {
    const garbage = await exchange(Buffer.concat([Buffer.from([0, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a]), Buffer.from(" x..y\r\n")]));
    expect(garbage.text).toMatch(/^Invalid query "/);
    expect(garbage.text).not.toContain("\u001b"); // the query is not echoed with control characters

    expect((await exchange("a".repeat(MAX_QUERY_BYTES * 4))).text).toMatch(/^Query too long/);

    const silent = await exchange(null);
    expect(silent.text).toBe("");
    expect(silent.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);

    // A client that connects and goes away at once.
    await new Promise<void>((resolve) => {
      const s = net.connect({ port: server.port, host: "127.0.0.1" }, () => s.destroy());
      s.on("close", () => resolve());
    });

    // Still serving.
    expect((await exchange("example.nowhere-zz\r\n")).text).toMatch(/^No match/);
  });

  it("rate limit per client address: a one-line refusal", async () => {
    // A limit of its own (each limit value has its own counts): this file's other queries from 127.0.0.1 do not count.
    await withEnv({ RDAP_RATE_LIMIT: "3" }, async () => {
      for (let i = 0; i < 3; i++) expect((await exchange("example.nowhere-zz\r\n")).text).toMatch(/^No match/);
      expect((await exchange("example.nowhere-zz\r\n")).text).toMatch(/^Rate limit exceeded: at most 3 queries per minute; try again in \d+ seconds\.\r\n$/);
    });
  });
});
