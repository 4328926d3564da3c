// Pre-flight before switching a domain to other nameservers: do the new ones already serve
// the zone? Switching the delegation to servers that do not would make the domain stop
// resolving once resolvers' caches of the old NS set expire (a lame delegation, RFC 1912
// §2.8), so the panel asks for an explicit "switch anyway" when not every host is ready.
//
// For each host: its addresses (as given; else what the caller knows; else the resolver),
// then <domain> SOA and NS from every address (RD=0), in parallel, with the delegation
// check's probe. A host is ready when every one of its addresses answers authoritatively
// with the domain's SOA: resolvers pick any of them.
import { wireName, DEFAULT_QUERY_TIMEOUT_MS, type ServerEndpoint } from "../dns/stub-client.ts";
import { findHostAddresses, probeNameserver, type KnownHosts, type NameserverAddressResult, type NameserverOutcome } from "./delegation-check.ts";

export interface PreflightInput {
  /** Stored form: lowercase, no trailing dot. */
  domain: string;
  /** The nameservers the domain would be switched to; addresses when the user gave them (glue). */
  hosts: { name: string; addresses?: string[] }[];
  knownHosts?: KnownHosts;
  resolver: ServerEndpoint | null;
  /** Port for given and resolved addresses. Default 53. */
  defaultPort?: number;
  /** Per query. Default 1500 ms. */
  timeoutMs?: number;
}

export type PreflightOutcome = NameserverOutcome | "no-address";

export interface PreflightHost {
  name: string;
  /** "ok" when every address answers authoritatively with the SOA; else the first problem. */
  outcome: PreflightOutcome;
  addressSource: "given" | "known" | "resolver" | "none";
  addressError?: string;
  addresses: NameserverAddressResult[];
  /** The serial and NS set of the first address that answered authoritatively. */
  serial?: number;
  ns?: string[];
  /**
   * Plain English, without the host name (shown beside it): "answers authoritatively for
   * shop.test (serial 2026010101)", "does not answer (timeout) at 192.0.2.1"...
   */
  message: string;
}

export interface PreflightResult {
  domain: string;
  checkedAt: string;
  hosts: PreflightHost[];
  /** Every host (and there is at least one) is ready to serve the domain. */
  allAuthoritative: boolean;
  summary: string;
}

function describe(outcome: PreflightOutcome, domain: string, a?: NameserverAddressResult): string {
  switch (outcome) {
    case "ok":
      return `answers authoritatively for ${domain}${a?.serial !== undefined ? ` (serial ${a.serial})` : ""}`;
    case "timeout":
      return "does not answer (timeout)";
    case "unreachable":
      return "cannot be reached";
    case "refused":
      return `refuses ${domain} (REFUSED): the zone is not set up there`;
    case "servfail":
      return `fails for ${domain} (SERVFAIL)`;
    case "nxdomain":
      return `does not know ${domain} (NXDOMAIN)`;
    case "not-authoritative":
      return `is not authoritative for ${domain} (AA=0)`;
    case "no-soa":
      return `has no SOA for ${domain}: the zone is not set up there`;
    case "truncated":
      return "answers over UDP but not over TCP";
    default:
      return `answers ${a?.rcode ?? outcome}`;
  }
}

export async function preflightNameservers(input: PreflightInput): Promise<PreflightResult> {
  const checkedAt = new Date().toISOString();
  const domain = wireName(input.domain);
  const timeoutMs = input.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const defaultPort = input.defaultPort ?? 53;
  const names = input.hosts.map((h) => wireName(h.name));
  // In-domain hosts: also compare what the new zone says about them (shown per address).
  const inDomain = names.filter((n) => n === domain || n.endsWith(`.${domain}`));

  const hosts = await Promise.all(
    input.hosts.map(async (h, i): Promise<PreflightHost> => {
      const name = names[i];
      const lookup = await findHostAddresses(name, { given: h.addresses, knownHosts: input.knownHosts, resolver: input.resolver, defaultPort, timeoutMs });
      const base = { name, addressSource: lookup.source === "glue" ? "given" : lookup.source, ...(lookup.error ? { addressError: lookup.error } : {}) } as const;
      if (!lookup.endpoints.length) {
        return { ...base, outcome: "no-address", addresses: [], message: `has no address${lookup.error ? ` (${lookup.error})` : ""}` };
      }
      const addresses = await Promise.all(lookup.endpoints.map((e) => probeNameserver(e, domain, inDomain, timeoutMs)));
      const failing = addresses.find((a) => a.outcome !== "ok");
      const good = addresses.find((a) => a.outcome === "ok");
      const outcome = failing?.outcome ?? "ok";
      // Name the failing address when the host has several.
      const where = failing && addresses.length > 1 ? ` at ${failing.address}` : "";
      return {
        ...base,
        outcome,
        addresses,
        ...(good?.serial !== undefined ? { serial: good.serial } : {}),
        ...(good?.ns ? { ns: good.ns } : {}),
        message: `${describe(outcome, domain, failing ?? good)}${where}`,
      };
    }),
  );

  const ready = hosts.filter((h) => h.outcome === "ok");
  const allAuthoritative = hosts.length > 0 && ready.length === hosts.length;
  const serials = [...new Set(ready.map((h) => h.serial).filter((s) => s !== undefined))];
  let summary: string;
  if (hosts.length === 0) summary = "No nameservers given.";
  else if (allAuthoritative) {
    summary =
      `All ${hosts.length} nameserver${hosts.length > 1 ? "s" : ""} answer authoritatively for ${domain}` +
      (serials.length === 1 ? ` (serial ${serials[0]}).` : ` (serials differ: ${serials.join(", ")}).`);
  } else {
    summary = `${hosts.length - ready.length} of ${hosts.length} not ready for ${domain}: ${hosts
      .filter((h) => h.outcome !== "ok")
      .map((h) => `${h.name} ${h.message}`)
      .join("; ")}.`;
  }
  return { domain, checkedAt, hosts, allAuthoritative, summary };
}
