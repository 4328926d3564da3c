// Configuration read from the environment, in one place. See README "Configuration".
import { normalizeAbsoluteName } from "./dns/names.ts";

function list(value: string | undefined, fallback: string[]): string[] {
  const items = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return items.length ? items : fallback;
}

function int(value: string | undefined, fallback: number): number {
  const n = value === undefined || value === "" ? NaN : Number(value);
  return Number.isInteger(n) ? n : fallback;
}

export interface HostingConfig {
  /** Our hosted nameservers: the apex NS records of every hosted zone. */
  nameservers: string[];
  /** The SOA RNAME, in mailbox-as-name form ("hostmaster.example.net"). */
  hostmaster: string;
  defaultTtl: number;
}

export function hostingConfig(env: NodeJS.ProcessEnv = process.env): HostingConfig {
  const nameservers = list(env.NS_NAMES, ["ns1.example.net", "ns2.example.net"]).map((n) => normalizeAbsoluteName(n));
  return {
    nameservers,
    hostmaster: normalizeAbsoluteName(env.SOA_HOSTMASTER ?? `hostmaster.${nameservers[0].split(".").slice(1).join(".")}`),
    defaultTtl: int(env.DEFAULT_TTL, 3600),
  };
}

/** The panel's public base URL, for links we hand out (invitations). */
export function panelUrl(pathname: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = (env.NEXTAUTH_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, "");
  return `${base}${pathname}`;
}

/** Where our own nameserver process listens: the hosting addresses, the registry's, one port. */
export interface ListenConfig {
  /** DNS_ADDRESS: where hosted zones are answered. */
  hosting: string[];
  /** REGISTRY_DNS_ADDRESS: where the registry's parent zones are answered (only refer). */
  registry: string[];
  port: number;
}

export function listenConfig(env: NodeJS.ProcessEnv = process.env): ListenConfig {
  const hosting = list(env.DNS_ADDRESS, ["127.0.0.1"]);
  return { hosting, registry: list(env.REGISTRY_DNS_ADDRESS, hosting), port: int(env.DNS_PORT, 5300) };
}

export interface RegistryConfig {
  /** REGISTRY_TLDS: the TLDs (or second-level domains) our local registry runs. */
  tlds: string[];
  /** Days a domain stays delegated after expiring without renewal (REGISTRY_GRACE_DAYS). */
  graceDays: number;
  /** Days after the grace period in which an undelegated domain can be restored (REGISTRY_RESTORE_DAYS). */
  restoreDays: number;
  /** TTL of delegation records in a new TLD zone (REGISTRY_DELEGATION_TTL). */
  delegationTtl: number;
  /** Added to the parent's NS TTL before we stop serving a zone delegated away (HANDOVER_MARGIN_SECONDS). */
  handoverMarginSeconds: number;
  /** NS_ADDRESSES: addresses of our own nameserver names, published as glue when inside a registry TLD. */
  nsAddresses: Map<string, string[]>;
  /** How often the in-product scheduler runs the registry's time-driven transitions (REGISTRY_TICK_SECONDS, 0: off). */
  tickSeconds: number;
}

/** "ns1.dns.test=127.0.0.63,ns1.dns.test=::1,ns2.dns.test=127.0.0.64" -> name -> addresses. */
export function parseNsAddresses(value: string | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const item of list(value, [])) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new Error(`NS_ADDRESSES: "${item}" is not <name>=<address>`);
    const name = normalizeAbsoluteName(item.slice(0, eq));
    map.set(name, [...(map.get(name) ?? []), item.slice(eq + 1).trim()]);
  }
  return map;
}

export function registryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return {
    tlds: list(env.REGISTRY_TLDS, ["test"]).map((t) => normalizeAbsoluteName(t)),
    graceDays: int(env.REGISTRY_GRACE_DAYS, 30),
    restoreDays: int(env.REGISTRY_RESTORE_DAYS, 30),
    delegationTtl: int(env.REGISTRY_DELEGATION_TTL, 3600),
    handoverMarginSeconds: int(env.HANDOVER_MARGIN_SECONDS, 300),
    nsAddresses: parseNsAddresses(env.NS_ADDRESSES),
    tickSeconds: int(env.REGISTRY_TICK_SECONDS, 60),
  };
}

/** DNS_RESOLVER: the recursive resolver the delegation check asks for addresses ("" = the system's). */
export function resolverConfig(env: NodeJS.ProcessEnv = process.env): { address: string; port: number } | null {
  const value = (env.DNS_RESOLVER ?? "").trim();
  if (!value) return null;
  // "127.0.0.1", "127.0.0.1:5353", "[::1]:53", "::1"
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) return { address: bracketed[1], port: Number(bracketed[2] ?? 53) };
  const parts = value.split(":");
  if (parts.length === 2) return { address: parts[0], port: Number(parts[1]) };
  return { address: value, port: 53 };
}

/** A whole number from `value` within [min, max] (out of range: clamped), or `fallback`. */
function intWithin(value: string | undefined, fallback: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, int(value, fallback)));
}

/** Response rate limiting of UDP answers (nameserver/rrl.ts); every rate 0: off. */
export interface RrlSettings {
  responsesPerSecond: number;
  nxdomainsPerSecond: number;
  nodataPerSecond: number;
  referralsPerSecond: number;
  errorsPerSecond: number;
  slip: number;
  windowSeconds: number;
  ipv4PrefixLength: number;
  ipv6PrefixLength: number;
  tableSize: number;
}

/**
 * DNS_RRL_*: NSD's defaults (200 responses a second per flow, slip 2, /24, a million buckets),
 * BIND's /56 for IPv6 and 15-second window. The per-class rates default to
 * DNS_RRL_RESPONSES_PER_SECOND; 0 turns a class's limit off (all of them: RRL off).
 */
export function rrlSettings(env: NodeJS.ProcessEnv = process.env): RrlSettings {
  const rate = (value: string | undefined, fallback: number) => intWithin(value, fallback, 0, 1_000_000);
  const responses = rate(env.DNS_RRL_RESPONSES_PER_SECOND, 200);
  return {
    responsesPerSecond: responses,
    nxdomainsPerSecond: rate(env.DNS_RRL_NXDOMAINS_PER_SECOND, responses),
    nodataPerSecond: rate(env.DNS_RRL_NODATA_PER_SECOND, responses),
    referralsPerSecond: rate(env.DNS_RRL_REFERRALS_PER_SECOND, responses),
    errorsPerSecond: rate(env.DNS_RRL_ERRORS_PER_SECOND, responses),
    slip: intWithin(env.DNS_RRL_SLIP, 2, 0, 10),
    windowSeconds: intWithin(env.DNS_RRL_WINDOW, 15, 1, 3600),
    ipv4PrefixLength: intWithin(env.DNS_RRL_IPV4_PREFIX, 24, 0, 32),
    ipv6PrefixLength: intWithin(env.DNS_RRL_IPV6_PREFIX, 56, 0, 128),
    tableSize: intWithin(env.DNS_RRL_TABLE_SIZE, 1_000_000, 1024, 4_194_304),
  };
}

/** Limits on DNS over TCP (nameserver/transport.ts, RFC 7766 §6.2.3 and §10). */
export interface TcpLimitSettings {
  idleMs: number;
  messageMs: number;
  maxConnections: number;
  maxConnectionsPerClient: number;
}

export function tcpLimitSettings(env: NodeJS.ProcessEnv = process.env): TcpLimitSettings {
  return {
    idleMs: intWithin(env.DNS_TCP_IDLE_MS, 10_000, 1, 3_600_000),
    messageMs: intWithin(env.DNS_TCP_MESSAGE_MS, 3_000, 1, 3_600_000),
    maxConnections: intWithin(env.DNS_TCP_MAX_CONNECTIONS, 256, 1, 1_000_000),
    maxConnectionsPerClient: intWithin(env.DNS_TCP_MAX_CONNECTIONS_PER_CLIENT, 16, 1, 1_000_000),
  };
}

/** METRICS_PORT (default 9153; 0: a free port; "off": no metrics) and METRICS_ADDRESS. */
export function metricsSettings(env: NodeJS.ProcessEnv = process.env): { address: string; port: number } | null {
  const value = (env.METRICS_PORT ?? "").trim().toLowerCase();
  if (value === "off") return null;
  return { address: (env.METRICS_ADDRESS ?? "").trim() || "127.0.0.1", port: intWithin(value, 9153, 0, 65535) };
}
