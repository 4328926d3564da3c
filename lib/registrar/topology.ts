// Where the servers a delegation check asks are: the parent zone's (our registry's addresses for
// a TLD we run; otherwise found through DNS_RESOLVER), our own nameservers (NS_ADDRESSES, or
// the addresses our nameserver listens on, at DNS_PORT, which in development is not 53), and
// host objects of our registry (their glue). Everything else is found by name on port 53.
import { hostingConfig, listenConfig, registryConfig, resolverConfig } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { ServerEndpoint } from "../dns/stub-client.ts";
import { tldOf } from "../registry/names.ts";
import { registryTlds } from "../registry/tlds.ts";

/** A listening address as an address to send to: the wildcard means "this host". */
function reachable(address: string): string {
  if (address === "0.0.0.0") return "127.0.0.1";
  if (address === "::") return "::1";
  return address;
}

export interface CheckTopology {
  parent: { zone: string; servers: { name?: string; address: string; port: number }[] } | null;
  knownHosts: (hostname: string) => ServerEndpoint[] | undefined;
  ourNameservers: string[];
  resolver: ServerEndpoint | null;
  defaultPort: number;
}

export async function checkTopology(domain: string, client: Db, extraHosts: string[] = []): Promise<CheckTopology> {
  const listen = listenConfig();
  const { nameservers } = hostingConfig();
  const { nsAddresses } = registryConfig();
  const tld = tldOf(domain, await registryTlds(client));
  const known = new Map<string, ServerEndpoint[]>();
  for (const ns of nameservers) {
    const addresses = nsAddresses.get(ns) ?? listen.hosting;
    known.set(ns, addresses.map((a) => ({ address: reachable(a), port: listen.port })));
  }
  // Host objects of our registry: their glue, as a resolver would get it from the parent.
  const hosts = await client.registryHost.findMany({ where: { name: { in: extraHosts }, domainId: { not: null } } });
  for (const h of hosts) known.set(h.name, [...h.ipv4, ...h.ipv6].map((address) => ({ address, port: 53 })));
  return {
    parent: tld ? { zone: tld, servers: listen.registry.map((a) => ({ address: reachable(a), port: listen.port })) } : null,
    knownHosts: (hostname) => known.get(hostname),
    ourNameservers: nameservers,
    resolver: resolverConfig(),
    defaultPort: 53,
  };
}
