// Views: which addresses answer which zones, one zone index in several views, and the answer
// cache of each view following its own zones. Plain data, no sockets, no database.
import { describe, expect, it } from "vitest";
import { listenConfig } from "../../lib/config.ts";
import { AnswerCache } from "../../nameserver/answer-cache.ts";
import { answerQuery, type Responder } from "../../nameserver/answer-query.ts";
import { listenBindings, ServedZones, viewAccepts, type ViewName } from "../../nameserver/views.ts";
import { ZoneIndex } from "../../nameserver/zone-index.ts";
import { buildQuery, decodeReply } from "../helpers/dns-client.ts";

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("listenBindings: every distinct address with its view", () => {
  it("one address in both lists (the default): every zone", () => {
    expect(listenBindings(listenConfig(env({})))).toEqual([{ address: "127.0.0.1", view: "all" }]);
    expect(listenBindings(listenConfig(env({ DNS_ADDRESS: "192.0.2.1" })))).toEqual([{ address: "192.0.2.1", view: "all" }]);
  });

  it("separate lists: hosting, registry, and both where they meet", () => {
    const config = listenConfig(env({ DNS_ADDRESS: "127.0.0.2, 127.0.0.3", REGISTRY_DNS_ADDRESS: "127.0.0.4,127.0.0.3,127.0.0.4" }));
    expect(listenBindings(config)).toEqual([
      { address: "127.0.0.2", view: "hosting" },
      { address: "127.0.0.3", view: "all" },
      { address: "127.0.0.4", view: "registry" },
    ]);
  });

  it("the same IPv6 address written in two cases is one address", () => {
    expect(listenBindings({ hosting: ["2001:DB8::1"], registry: ["2001:db8::1"] })).toEqual([{ address: "2001:db8::1", view: "all" }]);
  });

  it("a wildcard address alone is fine; beside others it is refused (the binds would clash)", () => {
    expect(listenBindings({ hosting: ["0.0.0.0"], registry: ["0.0.0.0"] })).toEqual([{ address: "0.0.0.0", view: "all" }]);
    expect(() => listenBindings({ hosting: ["0.0.0.0"], registry: ["192.0.2.53"] })).toThrow(/0\.0\.0\.0 cannot be combined/);
    expect(() => listenBindings({ hosting: ["192.0.2.1"], registry: ["::"] })).toThrow(/:: cannot be combined/);
  });

  it("which zones a view accepts", () => {
    const table = (["all", "registry", "hosting"] as ViewName[]).map((v) => [v, viewAccepts(v, true), viewAccepts(v, false)]);
    expect(table).toEqual([["all", true, true], ["registry", true, false], ["hosting", false, true]]);
  });
});

const soa = (name: string, serial: number) => ({
  name, serial, soaTtl: 3600, primaryNs: "a.nic.tld", hostmaster: "hostmaster.nic.tld",
  refresh: 7200, retry: 3600, expire: 1209600, minimum: 300,
});
const rr = (name: string, type: string, content: string) => ({ name, type, ttl: 300, content });

const tldZone = (serial = 1) => new ZoneIndex(soa("tld", serial), [
  rr("tld", "NS", "a.nic.tld."),
  rr("child.tld", "NS", "ns1.child.tld."),
  rr("ns1.child.tld", "A", "192.0.2.53"),
]);
const childZone = (serial = 1, address = "192.0.2.1") => new ZoneIndex(soa("child.tld", serial), [
  rr("child.tld", "NS", "ns1.example.net."),
  rr("www.child.tld", "A", address),
]);

function setup() {
  const served = new ServedZones(["registry", "hosting", "all"]);
  const responders = new Map<ViewName, Responder>(
    served.viewNames.map((v) => [v, { zones: served.view(v), cache: new AnswerCache(served.view(v)) }]),
  );
  const ask = (view: ViewName, name: string, type = "A") => decodeReply(answerQuery(buildQuery(name, type), false, responders.get(view)!)!);
  return { served, ask };
}

describe("ServedZones: one index per zone, in every view that accepts it", () => {
  it("the registry view refers for the child, the hosting view answers it and refuses the TLD, all answers both", () => {
    const { served, ask } = setup();
    served.put("tld", tldZone(), true);
    served.put("child", childZone(), false);
    expect(served.size).toBe(2);
    expect(served.view("registry").size).toBe(1);
    expect(served.view("hosting").size).toBe(1);
    expect(served.view("all").size).toBe(2);
    // The same object everywhere: built once.
    expect(served.view("hosting").get("child.tld")).toBe(served.view("all").get("child.tld"));

    for (const type of ["A", "NS", "SOA"]) {
      const referral = ask("registry", type === "A" ? "www.child.tld" : "child.tld", type);
      expect(referral).toMatchObject({ aa: false, answers: [] });
      expect(referral.authorities.map((a) => `${a.type} ${a.data}`)).toEqual(["NS ns1.child.tld"]);
      expect(referral.additionals.filter((a) => a.type === "A").map((a) => a.data)).toEqual(["192.0.2.53"]);
    }
    expect(ask("hosting", "www.child.tld")).toMatchObject({ aa: true, answers: [expect.objectContaining({ data: "192.0.2.1" })] });
    expect(ask("hosting", "tld", "SOA").rcode).toBe("REFUSED");
    expect(ask("all", "www.child.tld")).toMatchObject({ aa: true, answers: [expect.objectContaining({ data: "192.0.2.1" })] });
    expect(ask("all", "tld", "SOA").aa).toBe(true);
  });

  it("a new version of a shared zone makes the cached answers of every view it is in stale", () => {
    const { served, ask } = setup();
    served.put("tld", tldZone(), true);
    served.put("child", childZone(1, "192.0.2.1"), false);
    for (const view of ["hosting", "all"] as const) {
      expect(ask(view, "www.child.tld").answers[0].data).toBe("192.0.2.1");
      expect(ask(view, "www.child.tld").answers[0].data).toBe("192.0.2.1"); // cached
    }
    const referral = ask("registry", "www.child.tld");
    served.put("child", childZone(2, "192.0.2.2"), false);
    for (const view of ["hosting", "all"] as const) expect(ask(view, "www.child.tld").answers[0].data).toBe("192.0.2.2");
    // The registry view never held the child: its referral is unchanged.
    expect(ask("registry", "www.child.tld").authorities).toEqual(referral.authorities);
  });

  it("a zone that becomes a registry zone moves between views; a removed zone leaves them all", () => {
    const { served, ask } = setup();
    served.put("tld", tldZone(), false); // loaded before its RegistryTld row existed
    expect(ask("hosting", "tld", "SOA").aa).toBe(true);
    expect(ask("registry", "tld", "SOA").rcode).toBe("REFUSED");
    served.put("tld", tldZone(), true);
    expect(served.isRegistry("tld")).toBe(true);
    expect(ask("hosting", "tld", "SOA").rcode).toBe("REFUSED");
    expect(ask("registry", "tld", "SOA").aa).toBe(true);
    expect(ask("all", "tld", "SOA").aa).toBe(true);

    served.remove("tld");
    expect(served.byId("tld")).toBeUndefined();
    for (const view of ["registry", "hosting", "all"] as const) expect(ask(view, "tld", "SOA").rcode).toBe("REFUSED");
  });

  it("keeps only the views some address answers from", () => {
    const served = new ServedZones(["hosting", "hosting"]);
    expect(served.viewNames).toEqual(["hosting"]);
    served.put("tld", tldZone(), true);
    expect(served.size).toBe(1); // loaded (so its serial is known), in no view here
    expect(served.view("hosting").size).toBe(0);
    expect(() => served.view("registry")).toThrow();
  });
});
