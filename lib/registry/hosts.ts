// Host objects (RFC 5732): nameservers whose names are inside our registry. A delegation names
// hosts; when a host is inside a registry TLD, resolvers can only find its address from glue in
// the parent zone, so the registry keeps its addresses and publishes them (once, however many
// domains use it). Hosts elsewhere (ns1.other.net) get no glue: their addresses live in their
// own zone.
//
// What a delegation may name, for a domain D under TLD T:
//   - a host inside D itself (ns1.D): needs its addresses, given now or already on record;
//     the host object is created or updated, owned by D;
//   - a host inside another domain registered here: it must exist (its holder creates it),
//     unless that domain belongs to the same tenant, which may create or update it here;
//   - one of the platform's own nameservers (NS_NAMES, addresses from NS_ADDRESSES);
//   - a host inside T under a name nobody registered: refused, it could never resolve;
//   - a host outside our registry: no addresses may be given.
import { ValidationError, type FieldIssue } from "../errors.ts";
import { canonicalIPv6, isIPv4, isIPv6 } from "../dns/ip.ts";
import { NameError, normalizeAbsoluteName } from "../dns/names.ts";
import type { HostInput, Tx } from "./registry.ts";
import type { Db } from "../db/client.ts";
import { registrableAncestor, tldOf } from "./names.ts";

export const MIN_NAMESERVERS = 2;
export const MAX_NAMESERVERS = 13;
const MAX_ADDRESSES_PER_HOST = 13;

export interface HostPlan {
  /** The delegation's host names, in the order given. */
  hostnames: string[];
  /** Host objects to create or update (with these addresses) before publishing. */
  upserts: { name: string; tld: string; ipv4: string[]; ipv6: string[]; domainId: string }[];
}

/** Splits and checks a list of addresses; canonical IPv6; duplicates dropped. */
export function parseAddresses(addresses: string[], path: (string | number)[], issues: FieldIssue[]): { ipv4: string[]; ipv6: string[] } {
  const ipv4 = new Set<string>();
  const ipv6 = new Set<string>();
  for (const raw of addresses.map((a) => a.trim()).filter(Boolean)) {
    if (isIPv4(raw)) ipv4.add(raw);
    else if (isIPv6(raw)) ipv6.add(canonicalIPv6(raw));
    else issues.push({ path, message: `"${raw}" is not an IPv4 or IPv6 address` });
  }
  if (ipv4.size + ipv6.size > MAX_ADDRESSES_PER_HOST) issues.push({ path, message: `at most ${MAX_ADDRESSES_PER_HOST} addresses per host` });
  return { ipv4: [...ipv4], ipv6: [...ipv6] };
}

/** A nameserver host name: a hostname of at least two labels, letters, digits and hyphens. */
export function normalizeHostName(input: string): string {
  const name = normalizeAbsoluteName(input);
  if (!name.includes(".")) throw new NameError(`"${input}" is not a full host name (e.g. ns1.example.net)`);
  if (name.includes("_") || name.includes("*")) throw new NameError(`"${input}" is not a valid host name (letters, digits and hyphens only)`);
  return name;
}

/**
 * Checks the hosts a delegation of `domain` would name and works out which host objects to
 * create or update. Throws ValidationError (paths ["nameservers", i, "name" | "addresses"]).
 */
export async function planHosts(
  tx: Tx | Db,
  domain: { id: string; name: string; tenantId: string },
  hosts: HostInput[],
  tlds: readonly string[],
): Promise<HostPlan> {
  const issues: FieldIssue[] = [];
  if (hosts.length < MIN_NAMESERVERS || hosts.length > MAX_NAMESERVERS) {
    issues.push({ path: ["nameservers"], message: `give ${MIN_NAMESERVERS} to ${MAX_NAMESERVERS} nameservers (two or more, so one can fail)` });
  }
  const plan: HostPlan = { hostnames: [], upserts: [] };
  const seen = new Set<string>();
  for (const [i, host] of hosts.entries()) {
    const at = (field: string) => ["nameservers", i, field];
    let name: string;
    try {
      name = normalizeHostName(host.name);
    } catch (e) {
      issues.push({ path: at("name"), message: e instanceof NameError ? e.message : "not a valid host name" });
      continue;
    }
    if (seen.has(name)) {
      issues.push({ path: at("name"), message: `${name} is listed twice` });
      continue;
    }
    seen.add(name);
    plan.hostnames.push(name);
    const given = parseAddresses(host.addresses ?? [], at("addresses"), issues);
    const hasGiven = given.ipv4.length + given.ipv6.length > 0;

    const tld = tldOf(name, tlds);
    if (!tld) {
      if (hasGiven) {
        const zone = name.split(".").slice(1).join(".");
        issues.push({ path: at("addresses"), message: `${name} is outside our registry: it gets no glue, its addresses are published in its own zone (${zone}); leave them out` });
      }
      continue;
    }
    const existing = await tx.registryHost.findUnique({ where: { name } });
    if (existing?.platform) {
      // One of the platform's own nameservers: its addresses come from NS_ADDRESSES.
      if (hasGiven) issues.push({ path: at("addresses"), message: `${name} is one of the platform's nameservers; its addresses are set by the operator` });
      continue;
    }
    const owner = registrableAncestor(name, tld);
    const ownerDomain = owner === domain.name ? domain : await tx.domain.findUnique({ where: { name: owner }, include: { registration: true } });
    const ownerRegistered = owner === domain.name || (ownerDomain && "registration" in ownerDomain && ownerDomain.registration !== null);
    if (!ownerDomain || !ownerRegistered) {
      issues.push({ path: at("name"), message: `${name} cannot resolve: it would live inside ${owner}, which is not registered` });
      continue;
    }
    const sameTenant = ownerDomain.tenantId === domain.tenantId;
    if (hasGiven) {
      if (!sameTenant) {
        issues.push({ path: at("addresses"), message: `${name} belongs to ${owner}; only its holder can set its addresses` });
        continue;
      }
      plan.upserts.push({ name, tld, ...given, domainId: ownerDomain.id });
      continue;
    }
    if (!existing || existing.ipv4.length + existing.ipv6.length === 0) {
      issues.push({
        path: at("addresses"),
        message: sameTenant
          ? `${name} is inside ${owner}: give its IPv4 and/or IPv6 address, which the registry publishes as glue (without it, resolvers cannot reach it)`
          : `${name} does not exist in the registry; the holder of ${owner} must create it with its addresses first`,
      });
    }
  }
  if (issues.length) throw new ValidationError(issues);
  return plan;
}
