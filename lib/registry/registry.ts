// The registry interface: the only way registration data changes (who holds a name, until when,
// which nameservers the parent zone names, their glue, DS, lock, auth code).
//
// Shaped after EPP (RFC 5730-5734): domain <check>/<create>/<renew>/<info>/<update>/<delete>,
// RGP <restore> (RFC 3915), and host objects (RFC 5732). The panel, the CLI and RDAP call
// lib/registrar, which calls a Registry; an EPP client for a real registry can implement this
// same interface later without touching them. Today's one implementation is the local registry
// (lib/registry/local-registry.ts): TLDs we run ourselves, whose parent zones we serve.
import type { Prisma } from "../generated/prisma/client.ts";
import type { Actor } from "../zone/change-set.ts";
import type { NameCheck } from "./names.ts";

export type Tx = Prisma.TransactionClient;

export interface RegistryContext {
  /** Who acts: journaled with every parent-zone change and audit entry. */
  actor: Actor;
  /** The clock (tests and `registry tick --at` move it). */
  now?: Date;
  /**
   * The caller's open transaction: a registry that lives in our own database joins it, so a
   * registration and its zone are created together or not at all. A remote (EPP) registry
   * cannot, and ignores it.
   */
  tx?: Tx;
}

/** A nameserver as the user names it, with addresses when it is inside our registry (glue). */
export interface HostInput {
  name: string;
  /** IPv4 and IPv6 addresses; required for a host inside the domain itself, refused outside our registry. */
  addresses?: string[];
}

/** Our hosted nameservers (NS_NAMES), or a list of 2-13 hosts. */
export type NameserverChoice = { ours: true } | { ours: false; hosts: HostInput[] };

export interface HostInfo {
  name: string;
  ipv4: string[];
  ipv6: string[];
  /** The registered domain it lives under; null for the platform's own nameservers. */
  domain: string | null;
  /** Domains whose delegation names it. */
  usedBy: string[];
}

export interface RegistrationInfo {
  name: string;
  tld: string;
  status: "active" | "grace" | "redemption";
  /** EPP-style status values (RFC 5731 §2.3, RFC 3915): "ok", "clientTransferProhibited", "redemptionPeriod"... */
  statuses: string[];
  registeredAt: Date;
  expiresAt: Date;
  /** End of the grace period (the domain stops resolving then unless renewed). */
  graceEndsAt: Date;
  /** In redemption: when the name is released. */
  releaseAt: Date | null;
  autoRenew: boolean;
  transferLock: boolean;
  /** hosted: our nameservers; external: `nameservers` are someone else's. */
  mode: "hosted" | "external";
  /** The nameservers the delegation names, with the glue we publish for them. */
  nameservers: { name: string; ipv4: string[]; ipv6: string[] }[];
  /** Whether the parent zone delegates the name now (not in redemption). */
  delegated: boolean;
  ds: string[];
  /** TTL of the delegation at the parent: how long resolvers may keep the old one after a change. */
  delegationTtl: number;
  updatedAt: Date;
}

/** What a registry action changed at the parent, for "visible everywhere by". */
export interface ParentChange {
  zone: string;
  serial: number;
  /** Resolvers may hold the previous delegation this long (lib/zone/caching.ts). */
  cacheSeconds: number;
}

export interface RegistryResult {
  info: RegistrationInfo;
  /** The parent-zone change sets the action made (none when only dates or flags changed). */
  parentChanges: ParentChange[];
}

export interface Registry {
  /** "local", later "epp:<registry>". */
  readonly kind: string;
  /** Availability with reasons (syntax, TLD offered, reserved, taken), for the tenant that asks. */
  check(name: string, ctx?: { tx?: Tx; forTenantId?: string }): Promise<NameCheck>;
  /** Checks a nameserver choice for `name` as setNameservers would, changing nothing (ValidationError). */
  validateNameservers(name: string, nameservers: NameserverChoice, ctx?: { tx?: Tx }): Promise<void>;
  /** Registers `name` for `years` to the registrant (a tenant's domain), delegated as chosen. */
  create(
    request: { name: string; years: number; domainId: string; tenantId: string; nameservers: NameserverChoice },
    ctx: RegistryContext,
  ): Promise<RegistryResult>;
  renew(name: string, years: number, ctx: RegistryContext): Promise<RegistryResult>;
  info(name: string, ctx?: { tx?: Tx; now?: Date }): Promise<RegistrationInfo | null>;
  setNameservers(name: string, nameservers: NameserverChoice, ctx: RegistryContext): Promise<RegistryResult>;
  /** DS records for DNSSEC (presentation form "<tag> <alg> <digest type> <hex>"); [] removes them. */
  setDs(name: string, ds: string[], ctx: RegistryContext): Promise<RegistryResult>;
  setTransferLock(name: string, locked: boolean, ctx: RegistryContext): Promise<RegistryResult>;
  setAutoRenew(name: string, on: boolean, ctx: RegistryContext): Promise<RegistryResult>;
  /** The current auth code, in clear (the caller audits the reveal). */
  authCode(name: string, ctx?: { tx?: Tx }): Promise<string>;
  regenerateAuthCode(name: string, ctx: RegistryContext): Promise<string>;
  /** Ends the registration: the delegation is removed and the name can be restored until released. */
  delete(name: string, ctx: RegistryContext): Promise<RegistryResult>;
  restore(name: string, years: number, ctx: RegistryContext): Promise<RegistryResult>;
  hostInfo(name: string, ctx?: { tx?: Tx }): Promise<HostInfo | null>;
  /** Sets a host's addresses; its glue changes at the parent wherever it is published. */
  updateHost(name: string, addresses: string[], ctx: RegistryContext): Promise<{ host: HostInfo; parentChanges: ParentChange[] }>;
  /** Deletes a host object; refused while a delegation still names it (RFC 5732 §3.2.2). */
  deleteHost(name: string, ctx: RegistryContext): Promise<void>;
}
