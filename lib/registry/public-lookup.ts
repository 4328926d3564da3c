// What anyone may look up about a name in our registry, without signing in: the lookups RDAP
// (app/_handlers/rdap.ts) and WHOIS (lib/registry/whois.ts) share. Each returns a verdict the
// caller encodes in its own format:
//
//   invalid    the query is not a domain name (RDAP 400)
//   not-ours   a name under a TLD our registry does not run: we are not authoritative (RDAP 404)
//   not-found  under one of our TLDs, but no such registration or host object (RDAP 404)
//   found      the registration (or host), with what the encoders need
import { hostingConfig } from "../config.ts";
import { NameError, normalizeAbsoluteName } from "../dns/names.ts";
import { registryFor } from "./local-registry.ts";
import { tldOf } from "./names.ts";
import type { HostInfo, RegistrationInfo } from "./registry.ts";
import { registryTlds } from "./tlds.ts";

/** The longest query we read as a name (a domain name is at most 253 characters; IDN and escapes make it longer). */
export const MAX_QUERY_LENGTH = 1024;

export interface LookupScope {
  /** The TLDs our registry runs. */
  tlds: string[];
  /** Our own nameservers (NS_NAMES). */
  ourNameservers: string[];
}

export type Lookup<T> =
  | { kind: "invalid"; reason: string }
  | ({ kind: "not-ours"; name: string } & LookupScope)
  | ({ kind: "not-found"; name: string } & LookupScope)
  | ({ kind: "found"; name: string; object: T } & LookupScope);

/** A query as a stored-form name ("Bücher.Test." -> "xn--bcher-kva.test"), or why it is not one. */
export function parseQueryName(query: string): { name: string } | { reason: string } {
  const typed = query.trim();
  if (!typed) return { reason: "no name given" };
  if (typed.length > MAX_QUERY_LENGTH) return { reason: "the query is too long to be a domain name" };
  let name: string;
  try {
    name = normalizeAbsoluteName(typed);
  } catch (e) {
    return { reason: e instanceof NameError ? e.message : "not a domain name" };
  }
  if (!name) return { reason: "the root is not a domain name here" };
  if (name.includes("_") || name.includes("*")) return { reason: `"${typed}" is not a host name (letters, digits and hyphens only)` };
  return { name };
}

async function scope(): Promise<LookupScope> {
  return { tlds: await registryTlds(), ourNameservers: hostingConfig().nameservers };
}

/** The registration of a domain name, as the registry holds it. */
export async function lookupDomain(query: string): Promise<Lookup<RegistrationInfo>> {
  const parsed = parseQueryName(query);
  if ("reason" in parsed) return { kind: "invalid", reason: parsed.reason };
  const { name } = parsed;
  const where = await scope();
  if (!tldOf(name, where.tlds)) return { kind: "not-ours", name, ...where };
  const info = await registryFor(name).info(name);
  return info ? { kind: "found", name, object: info, ...where } : { kind: "not-found", name, ...where };
}

/**
 * A nameserver: a host object of our registry (a host inside one of our TLDs, with the glue we
 * hold for it), or one of our own nameservers wherever it lives (without addresses when it is
 * outside our registry: its own zone publishes them, not us).
 */
export async function lookupNameserver(query: string): Promise<Lookup<HostInfo>> {
  const parsed = parseQueryName(query);
  if ("reason" in parsed) return { kind: "invalid", reason: parsed.reason };
  const { name } = parsed;
  const where = await scope();
  const ours = where.ourNameservers.includes(name);
  if (!tldOf(name, where.tlds) && !ours) return { kind: "not-ours", name, ...where };
  const host = await registryFor(name).hostInfo(name);
  if (host) return { kind: "found", name, object: host, ...where };
  if (ours) return { kind: "found", name, object: { name, ipv4: [], ipv6: [], domain: null, usedBy: [] }, ...where };
  return { kind: "not-found", name, ...where };
}
