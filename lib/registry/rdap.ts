// RDAP (RFC 9083) responses for our local registry: pure builders from RegistrationInfo and
// HostInfo to the JSON the /rdap routes serve (app/_handlers/rdap.ts). No database, no clock
// of their own (the caller passes `now`), so they are tested with plain data.
//
// What a domain object says (RFC 9083 §5.3): its names (ldhName in A-labels as stored, and
// unicodeName for IDNs), status in RDAP terms (EPP values mapped per RFC 8056), events
// (registration, expiration, last changed, last update of RDAP database), the nameservers the
// delegation names (with addresses only for host objects inside our registry: the glue we
// publish), secureDNS from its DS records, and a registrant entity whose personal data is
// withheld and declared so with RFC 9537's "redacted" member.
import { domainToUnicode } from "node:url";
import type { HostInfo, RegistrationInfo } from "./registry.ts";
import { tldOf } from "./names.ts";

export const RDAP_MEDIA_TYPE = "application/rdap+json";

/** What our responses use: the base specification and RFC 9537 redaction. */
export const RDAP_CONFORMANCE = ["rdap_level_0", "redacted"] as const;

export interface RdapLink {
  value: string;
  rel: string;
  href: string;
  type?: string;
}

export interface RdapNotice {
  title: string;
  type?: string;
  description: string[];
  links?: RdapLink[];
}

export interface RdapEvent {
  eventAction: string;
  eventDate: string;
}

export interface RdapContext {
  /** The service's base URL as the client reached it, e.g. "https://panel.example.net" (no trailing slash). */
  baseUrl: string;
  /** The TLDs our registry runs: hosts inside them are our host objects, with glue. */
  tlds: readonly string[];
  /** Our own nameservers (NS_NAMES): we answer for them too. */
  ourNameservers: readonly string[];
  /** When the data was read: the "last update of RDAP database" event. */
  now: Date;
}

export const TERMS_OF_USE: RdapNotice = {
  title: "Terms of Use",
  description: [
    "This service tells who runs a domain name under a TLD this registry runs: its status, dates, nameservers and DNSSEC delegation.",
    "Personal data of registrants is not published.",
    "Use it for lookups of individual names; queries are rate-limited per client address.",
  ],
};

/**
 * EPP status values (RFC 5731 §2.3, RFC 5732 §2.3, RFC 3915) to RDAP status values
 * (RFC 8056 §2; RFC 9083 §10.2.2). Those not listed map word by word ("clientHold" ->
 * "client hold"), which is the rule RFC 8056 follows for every value but these.
 */
const EPP_TO_RDAP: Record<string, string> = {
  ok: "active",
  linked: "associated",
  inactive: "inactive",
  serverTransferProhibited: "server transfer prohibited",
  clientTransferProhibited: "client transfer prohibited",
  redemptionPeriod: "redemption period",
  pendingDelete: "pending delete",
  pendingRestore: "pending restore",
  autoRenewPeriod: "auto renew period",
  addPeriod: "add period",
  renewPeriod: "renew period",
  transferPeriod: "transfer period",
};

export function rdapStatus(epp: string): string {
  return EPP_TO_RDAP[epp] ?? epp.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`).trim();
}

/** The name with its A-labels as U-labels; the same string for an ASCII name. */
export function unicodeNameOf(name: string): string {
  return name
    .split(".")
    .map((label) => (label.startsWith("xn--") ? domainToUnicode(label) || label : label))
    .join(".");
}

/** RFC 3339 in UTC, whole seconds: "2026-05-01T10:00:00Z". */
export function rdapDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A repository object identifier (the "Registry Domain ID"), shaped like EPP's roid
 * (RFC 5730 §4.2: "<id>-<repository>"). RegistrationInfo carries no database id, so it is made
 * from the name and the TLD: stable for the name, the same in RDAP and WHOIS.
 */
export function registryObjectId(name: string, tld: string): string {
  const repository = (tld || name.split(".").at(-1) || "ROOT").replace(/[^a-z0-9]/gi, "_").toUpperCase().slice(0, 8);
  return `${name.replace(/[^a-z0-9]/gi, "_").toUpperCase()}-${repository}`;
}

function selfLink(ctx: RdapContext, path: string): RdapLink {
  const href = `${ctx.baseUrl}/rdap/${path}`;
  return { value: href, rel: "self", href, type: RDAP_MEDIA_TYPE };
}

/** unicodeName only where it says more than ldhName (an IDN). */
function names(name: string): { ldhName: string; unicodeName?: string } {
  const unicode = unicodeNameOf(name);
  return unicode === name ? { ldhName: name } : { ldhName: name, unicodeName: unicode };
}

/** Whether we answer /rdap/nameserver/<host>: a host object of our registry, or one of ours. */
function answersFor(host: string, ctx: RdapContext): boolean {
  return Boolean(tldOf(host, ctx.tlds)) || ctx.ourNameservers.includes(host);
}

export interface RdapDsData {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: string;
}

/** A DS record in presentation form ("<tag> <alg> <digest type> <hex>", as the registry stores it). */
export function dsData(ds: string): RdapDsData {
  const [tag, algorithm, digestType, ...digest] = ds.trim().split(/\s+/);
  return { keyTag: Number(tag), algorithm: Number(algorithm), digestType: Number(digestType), digest: digest.join("").toUpperCase() };
}

/** A nameserver as a domain names it: addresses only for the glue we publish (hosts inside our registry). */
function delegationNameserver(ns: RegistrationInfo["nameservers"][number], ctx: RdapContext) {
  const inRegistry = Boolean(tldOf(ns.name, ctx.tlds));
  const addresses = inRegistry && ns.ipv4.length + ns.ipv6.length > 0 ? { ipAddresses: ipAddresses(ns) } : {};
  return {
    objectClassName: "nameserver",
    ...names(ns.name),
    ...addresses,
    ...(answersFor(ns.name, ctx) ? { links: [selfLink(ctx, `nameserver/${ns.name}`)] } : {}),
  };
}

function ipAddresses(host: { ipv4: string[]; ipv6: string[] }): { v4?: string[]; v6?: string[] } {
  return { ...(host.ipv4.length ? { v4: host.ipv4 } : {}), ...(host.ipv6.length ? { v6: host.ipv6 } : {}) };
}

const REGISTRANT = "$.entities[?(@.roles[0]=='registrant')]";
const SERVER_POLICY = { description: "Server policy" };

/**
 * The registrant, with nothing personal in it (RFC 9537 §3: an empty "fn" for the name, the
 * rest removed), and the "redacted" members that say so, with JSONPath (RFC 9535) to each.
 */
function redactedRegistrant() {
  const entity = {
    objectClassName: "entity",
    roles: ["registrant"],
    vcardArray: ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", ""]]],
    remarks: [
      {
        title: "REDACTED FOR PRIVACY",
        type: "object truncated due to authorization",
        description: ["Personal data of the registrant is not published."],
      },
    ],
  };
  const removed = (name: string, path: string) => ({ name: { description: name }, prePath: path, pathLang: "jsonpath", method: "removal", reason: SERVER_POLICY });
  const redacted = [
    removed("Registry Registrant ID", `${REGISTRANT}.handle`),
    { name: { description: "Registrant Name" }, postPath: `${REGISTRANT}.vcardArray[1][?(@[0]=='fn')][3]`, pathLang: "jsonpath", method: "emptyValue", reason: SERVER_POLICY },
    removed("Registrant Organization", `${REGISTRANT}.vcardArray[1][?(@[0]=='org')]`),
    removed("Registrant Email", `${REGISTRANT}.vcardArray[1][?(@[0]=='email')]`),
  ];
  return { entity, redacted };
}

/** The domain object (RFC 9083 §5.3) of a registration. */
export function rdapDomain(info: RegistrationInfo, ctx: RdapContext) {
  const { entity, redacted } = redactedRegistrant();
  const events: RdapEvent[] = [
    { eventAction: "registration", eventDate: rdapDate(info.registeredAt) },
    { eventAction: "expiration", eventDate: rdapDate(info.expiresAt) },
    { eventAction: "last changed", eventDate: rdapDate(info.updatedAt) },
    { eventAction: "last update of RDAP database", eventDate: rdapDate(ctx.now) },
  ];
  return {
    rdapConformance: [...RDAP_CONFORMANCE],
    objectClassName: "domain",
    handle: registryObjectId(info.name, info.tld),
    ...names(info.name),
    status: info.statuses.map(rdapStatus),
    events,
    nameservers: info.nameservers.map((ns) => delegationNameserver(ns, ctx)),
    secureDNS: { delegationSigned: info.ds.length > 0, ...(info.ds.length ? { dsData: info.ds.map(dsData) } : {}) },
    entities: [entity],
    links: [selfLink(ctx, `domain/${info.name}`)],
    notices: [TERMS_OF_USE],
    redacted,
  };
}

/** The nameserver object (RFC 9083 §5.2) of a host object of our registry, or of one of our own nameservers. */
export function rdapNameserver(host: HostInfo, ctx: RdapContext) {
  const inRegistry = Boolean(tldOf(host.name, ctx.tlds));
  const status = host.usedBy.length > 0 ? ["active", "associated"] : ["active"];
  return {
    rdapConformance: [...RDAP_CONFORMANCE],
    objectClassName: "nameserver",
    handle: registryObjectId(host.name, tldOf(host.name, ctx.tlds)),
    ...names(host.name),
    ...(inRegistry && host.ipv4.length + host.ipv6.length > 0 ? { ipAddresses: ipAddresses(host) } : {}),
    status,
    events: [{ eventAction: "last update of RDAP database", eventDate: rdapDate(ctx.now) }],
    links: [selfLink(ctx, `nameserver/${host.name}`)],
    notices: [TERMS_OF_USE],
  };
}

/** /rdap/help (RFC 9083 §7): what the service answers, as notices. */
export function rdapHelp(ctx: Pick<RdapContext, "baseUrl" | "tlds">) {
  const base = `${ctx.baseUrl}/rdap`;
  return {
    rdapConformance: [...RDAP_CONFORMANCE],
    notices: [
      {
        title: "RDAP service",
        description: [
          `Registration data of domain names under ${ctx.tlds.length ? ctx.tlds.map((t) => `.${t}`).join(", ") : "the TLDs this registry runs"}.`,
          `Domains: ${base}/domain/<name> (ASCII or Unicode). Nameservers: ${base}/nameserver/<name>.`,
          "Names under other TLDs are not found here: this service is not authoritative for them.",
        ],
        links: [{ value: `${base}/help`, rel: "self", href: `${base}/help`, type: RDAP_MEDIA_TYPE }],
      },
      TERMS_OF_USE,
    ],
  };
}

/** An error response body (RFC 9083 §6). */
export function rdapError(errorCode: number, title: string, description: string[]) {
  return { rdapConformance: [...RDAP_CONFORMANCE], errorCode, title, description, notices: [TERMS_OF_USE] };
}

export type RdapDomain = ReturnType<typeof rdapDomain>;
export type RdapNameserver = ReturnType<typeof rdapNameserver>;
