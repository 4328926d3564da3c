// The delegation check: what the world sees when it looks a domain up, as `dig +trace` would
// show it, for the panel's picture "parent -> nameservers -> records".
//
//   1. Ask every server of the parent zone (RD=0) for <domain> NS. A parent that delegates
//      answers with a referral: AA=0, the NS RRset in authority, and glue (addresses of the
//      nameservers named inside the domain) in additional (RFC 1034 §4.2.1, §4.3.2). A server
//      that hosts the parent and the child zone may answer from the child instead (AA=1, NS
//      in the answer): we take that NS set and say so. NXDOMAIN, or NOERROR without an NS
//      RRset for the domain, means the domain is not delegated.
//   2. Find each nameserver's addresses: what the caller already knows (our own nameservers,
//      perhaps on a development port), else the glue, else the resolver.
//   3. Ask every address (RD=0) for <domain> SOA and NS, and for the A/AAAA of the nameserver
//      names inside the domain (to compare with the glue). An answer without AA, or REFUSED,
//      SERVFAIL, NXDOMAIN, is a lame delegation (RFC 1912 §2.8): the parent sends resolvers
//      to a server that does not hold the zone.
//   4. analyzeDelegation (pure, no sockets) turns these observations into findings.
//
// Every query has a short timeout, the queries of a step run in parallel, and the whole check
// has a time budget, so it ends within seconds even when every server is silent.
//
// The result is plain JSON (stored in the database, sent to the browser): no Dates, Maps,
// Buffers or class instances.
import { Resolver } from "node:dns/promises";
import { isInZone, parentName } from "../dns/names.ts";
import {
  canonicalAddress,
  DEFAULT_QUERY_TIMEOUT_MS,
  formatEndpoint,
  queryServer,
  resolveAddresses,
  wireName,
  type DnsRecord,
  type QueryOutcome,
  type ServerEndpoint,
} from "../dns/stub-client.ts";

// --- Input ---

/** Addresses the caller already knows for a host name (undefined or []: not known). */
export type KnownHosts = (hostname: string) => ServerEndpoint[] | undefined;

export interface DelegationCheckInput {
  /** Stored form: lowercase, no trailing dot ("shop.test"). */
  domain: string;
  /**
   * The parent zone and its servers. null: found through the resolver (the NS of the domain
   * minus its first label, walking further up when that name is not a zone apex).
   */
  parent: { zone: string; servers: { name?: string; address: string; port: number }[] } | null;
  knownHosts?: KnownHosts;
  /** NS_NAMES: to say whether the parent sends the world to us. */
  ourNameservers: string[];
  /** A recursive resolver for addresses (and the parent's servers); null: the system's. */
  resolver: ServerEndpoint | null;
  /** Port of nameservers whose addresses come from glue or the resolver. Default 53. */
  defaultPort?: number;
  /** Per query. Default 1500 ms. */
  timeoutMs?: number;
  /**
   * The whole check. Default 4 × timeoutMs; queries started late get what is left of it (at
   * least 400 ms, or timeoutMs when shorter).
   */
  budgetMs?: number;
}

// --- Result (plain JSON) ---

export interface HostAddresses {
  name: string;
  addresses: string[];
}

export type ParentOutcome =
  | "referral" // NS for the domain, not authoritative: the normal case
  | "authoritative" // AA=1 with the NS in the answer: it serves the child zone too
  | "nxdomain"
  | "nodata" // NOERROR without NS for the domain: not a zone cut
  | "referral-elsewhere" // a referral, but to another zone (it does not serve the parent zone)
  | "refused"
  | "servfail"
  | "error" // another RCODE (FORMERR, NOTIMP...)
  | "truncated" // TC=1 and the TCP retry failed
  | "timeout"
  | "unreachable"
  | "malformed"
  | "invalid"
  | "no-address";

export interface ParentServerResult {
  name?: string;
  /** null when the server's name has no address (outcome "no-address"). */
  address: string | null;
  port: number | null;
  outcome: ParentOutcome;
  rcode?: string;
  aa?: boolean;
  /** The NS set it gave for the domain, sorted. */
  ns?: string[];
  /** Addresses it gave (additional section) for those NS names. */
  glue?: HostAddresses[];
  ms?: number;
  message?: string;
}

export interface ParentResult {
  zone: string;
  /** "given": the caller's servers; "resolver": found through the resolver. */
  source: "given" | "resolver";
  servers: ParentServerResult[];
  /** The delegation's NS set: the union of what the delegating servers said, sorted. */
  ns: string[];
  /** Glue from the referrals (from authoritative answers when there was no referral). */
  glue: HostAddresses[];
  /** Why the parent's servers could not be found (source "resolver"). */
  error?: string;
}

export type NameserverOutcome =
  | "ok" // AA=1 with the domain's SOA
  | "not-authoritative" // NOERROR without AA: a referral, or a cached answer
  | "no-soa" // AA=1 but no SOA for the domain: it serves an enclosing zone only
  | "refused"
  | "servfail"
  | "nxdomain"
  | "error"
  | "truncated"
  | "timeout"
  | "unreachable"
  | "malformed"
  | "invalid";

export interface NameserverAddressResult {
  address: string;
  port: number;
  outcome: NameserverOutcome;
  rcode?: string;
  aa?: boolean;
  serial?: number;
  /** The zone's apex NS set as this server answers it, sorted (outcome "ok" only). */
  ns?: string[];
  /** Addresses of the in-domain nameserver names, as this server answers them ("ok" only). */
  hosts?: HostAddresses[];
  ms?: number;
  message?: string;
}

export interface NameserverResult {
  name: string;
  /** Inside the domain itself: the parent must hold glue for it (RFC 9471). */
  inDomain: boolean;
  addressSource: "known" | "glue" | "resolver" | "none";
  addressError?: string;
  addresses: NameserverAddressResult[];
}

export type UsesOurs = true | false | "partly" | null;

export type Severity = "error" | "warning" | "info";

export type FindingCode =
  | "parent-unknown"
  | "parent-unreachable"
  | "parent-server-unreachable"
  | "parent-server-lame"
  | "parent-inconsistent"
  | "parent-authoritative"
  | "not-delegated"
  | "nameserver-no-address"
  | "nameserver-unreachable"
  | "lame-delegation"
  | "ns-mismatch"
  | "glue-missing"
  | "glue-mismatch"
  | "serial-mismatch";

export interface Finding {
  severity: Severity;
  code: FindingCode;
  message: string;
  /** The host (nameserver or parent server name/address) the finding is about. */
  host?: string;
}

export interface DelegationObservations {
  domain: string;
  parent: ParentResult;
  nameservers: NameserverResult[];
  ourNameservers: string[];
}

export interface DelegationAnalysis {
  usesOurs: UsesOurs;
  findings: Finding[];
}

export interface DelegationCheckResult extends DelegationAnalysis {
  domain: string;
  /** When the check started (ISO 8601). */
  checkedAt: string;
  parent: ParentResult;
  nameservers: NameserverResult[];
}

// --- Analysis (pure) ---

const NETWORK_FAILURES = new Set<string>(["timeout", "unreachable", "malformed", "invalid", "truncated", "no-address"]);
const PARENT_ANSWERED = new Set<ParentOutcome>(["referral", "authoritative", "nxdomain", "nodata"]);
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

const sorted = (items: Iterable<string>) => [...new Set(items)].sort();
const list = (items: string[]) => items.join(", ");

function parentServerLabel(s: ParentServerResult): string {
  const where = s.address === null ? null : formatEndpoint({ address: s.address, port: s.port ?? 53 });
  return s.name ? (where ? `${s.name} (${where})` : s.name) : (where ?? "?");
}

function addressLabel(ns: NameserverResult, a: NameserverAddressResult): string {
  return `${ns.name} (${formatEndpoint(a)})`;
}

/** Whether the delegation's NS set is ours (as sets; "partly" when they only overlap). */
export function usesOurNameservers(delegation: string[], ours: string[]): UsesOurs {
  if (delegation.length === 0) return null;
  const mine = new Set(ours.map(wireName));
  const theirs = new Set(delegation.map(wireName));
  const common = [...theirs].filter((n) => mine.has(n)).length;
  if (common === 0) return false;
  return common === theirs.size && common === mine.size ? true : "partly";
}

function describeParentFailure(s: ParentServerResult): string {
  switch (s.outcome) {
    case "timeout":
      return "does not answer (timeout)";
    case "no-address":
      return `has no address${s.message ? ` (${s.message})` : ""}`;
    case "refused":
      return "answers REFUSED (it does not serve the parent zone)";
    case "servfail":
      return "answers SERVFAIL";
    case "referral-elsewhere":
      return s.message ?? "refers to another zone instead of answering for the parent zone";
    default:
      return s.message ?? s.outcome;
  }
}

function describeNameserverFailure(a: NameserverAddressResult, domain: string): string {
  switch (a.outcome) {
    case "timeout":
      return "does not answer (timeout)";
    case "unreachable":
      return `cannot be reached${a.message ? ` (${a.message})` : ""}`;
    case "truncated":
      return `answers over UDP, but the TCP retry of a truncated reply failed${a.message ? ` (${a.message})` : ""}`;
    case "refused":
      return `answers REFUSED for ${domain} (it does not serve the zone)`;
    case "servfail":
      return `answers SERVFAIL for ${domain} (it has the zone but cannot load or serve it)`;
    case "nxdomain":
      return `answers NXDOMAIN for ${domain} (it does not hold the zone)`;
    case "not-authoritative":
      return `answers for ${domain} without authority (AA=0${a.message ? `, ${a.message}` : ""}), so it does not hold the zone`;
    case "no-soa":
      return `has no SOA for ${domain}${a.message ? ` (${a.message})` : ""}, so it does not hold the zone`;
    default:
      return a.message ?? `answers ${a.rcode ?? a.outcome}`;
  }
}

/**
 * Turns the observations of a delegation check into findings, and says whether the
 * delegation points at our nameservers. No I/O: unit-tested with plain data.
 */
export function analyzeDelegation(obs: DelegationObservations): DelegationAnalysis {
  const findings: Finding[] = [];
  const add = (severity: Severity, code: FindingCode, message: string, host?: string) =>
    findings.push(host === undefined ? { severity, code, message } : { severity, code, message, host });
  const done = (usesOurs: UsesOurs): DelegationAnalysis => ({
    usesOurs,
    findings: findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]),
  });
  const { domain, parent } = obs;

  // --- The parent ---
  if (parent.servers.length === 0) {
    add("error", "parent-unknown", `Could not find the servers of the parent zone ${parent.zone || "(root)"}${parent.error ? `: ${parent.error}` : ""}.`);
    return done(null);
  }
  const answered = parent.servers.filter((s) => PARENT_ANSWERED.has(s.outcome));
  if (answered.length === 0) {
    add(
      "error",
      "parent-unreachable",
      `None of the servers of the parent zone ${parent.zone} answered for ${domain}: ${list(parent.servers.map((s) => `${parentServerLabel(s)} ${describeParentFailure(s)}`))}.`,
    );
    return done(null);
  }
  for (const s of parent.servers) {
    if (PARENT_ANSWERED.has(s.outcome)) continue;
    const code = NETWORK_FAILURES.has(s.outcome) ? "parent-server-unreachable" : "parent-server-lame";
    add("warning", code, `Parent server ${parentServerLabel(s)} ${describeParentFailure(s)}; the others answered.`, s.name ?? s.address ?? undefined);
  }
  const delegating = answered.filter((s) => s.outcome === "referral" || s.outcome === "authoritative");
  if (delegating.length === 0) {
    const how = answered.map((s) => `${parentServerLabel(s)} answered ${s.outcome === "nxdomain" ? "NXDOMAIN (no such name)" : "without NS records for it"}`);
    add("error", "not-delegated", `${domain} is not delegated in ${parent.zone}: ${list(how)}.`);
    return done(null);
  }
  const denying = answered.filter((s) => s.outcome === "nxdomain" || s.outcome === "nodata");
  if (denying.length) {
    add(
      "warning",
      "parent-inconsistent",
      `The parent's servers disagree: ${list(delegating.map(parentServerLabel))} delegate ${domain}, ${list(denying.map(parentServerLabel))} say it is not delegated (one of them may not have the latest parent zone yet).`,
    );
  }
  const nsSets = new Map<string, ParentServerResult[]>();
  for (const s of delegating) {
    const key = sorted(s.ns ?? []).join(" ");
    nsSets.set(key, [...(nsSets.get(key) ?? []), s]);
  }
  if (nsSets.size > 1) {
    const variants = [...nsSets.entries()].map(([key, servers]) => `${list(servers.map(parentServerLabel))}: ${key.split(" ").join(", ")}`);
    add("warning", "parent-inconsistent", `The parent's servers give different nameservers for ${domain}: ${variants.join("; ")}.`);
  }
  for (const s of delegating.filter((x) => x.outcome === "authoritative")) {
    add(
      "info",
      "parent-authoritative",
      `Parent server ${parentServerLabel(s)} answers for ${domain} itself (AA=1) instead of referring: it serves the child zone too, so the NS set shown is the zone's, and the parent's glue cannot be seen from here.`,
      s.name ?? s.address ?? undefined,
    );
  }

  // --- Glue (RFC 1034 §4.2.2, RFC 9471): a nameserver named inside the domain can only be
  // found through the addresses the parent hands out with the referral. ---
  const referrals = delegating.filter((s) => s.outcome === "referral");
  const glue = new Map<string, Set<string>>();
  for (const s of referrals) for (const g of s.glue ?? []) glue.set(g.name, new Set([...(glue.get(g.name) ?? []), ...g.addresses]));
  const delegationNs = parent.ns.length ? parent.ns : sorted(delegating.flatMap((s) => s.ns ?? []));
  if (referrals.length) {
    for (const name of delegationNs.filter((n) => isInZone(n, domain))) {
      if (!glue.get(name)?.size) {
        add(
          "error",
          "glue-missing",
          `${name} is inside ${domain}, but the parent gives no address (glue) for it: resolvers cannot find it without asking it first (RFC 9471). Add its address at the registrar.`,
          name,
        );
      }
    }
  }

  // --- The nameservers ---
  const anyOk = obs.nameservers.some((ns) => ns.addresses.some((a) => a.outcome === "ok"));
  // One broken server among working ones slows resolution down (resolvers retry elsewhere);
  // when none works, the domain does not resolve at all.
  const lameSeverity: Severity = anyOk ? "warning" : "error";
  for (const ns of obs.nameservers) {
    if (ns.addresses.length === 0) {
      add(lameSeverity, "nameserver-no-address", `Nameserver ${ns.name} has no address${ns.addressError ? ` (${ns.addressError})` : ""}.`, ns.name);
      continue;
    }
    for (const a of ns.addresses) {
      if (a.outcome === "ok") continue;
      const code = NETWORK_FAILURES.has(a.outcome) ? "nameserver-unreachable" : "lame-delegation";
      add(lameSeverity, code, `Nameserver ${addressLabel(ns, a)} ${describeNameserverFailure(a, domain)}: a lame delegation (RFC 1912 §2.8).`, ns.name);
    }
  }

  // --- NS at the parent vs NS in the zone (RFC 1034 §4.2.2: they should be the same) ---
  const zoneNsSets = new Map<string, string[]>();
  for (const ns of obs.nameservers) {
    for (const a of ns.addresses) {
      if (a.outcome !== "ok" || !a.ns) continue;
      const key = sorted(a.ns).join(" ");
      zoneNsSets.set(key, [...(zoneNsSets.get(key) ?? []), addressLabel(ns, a)]);
    }
  }
  for (const [key, where] of zoneNsSets) {
    const inZone = key ? key.split(" ") : [];
    const onlyParent = delegationNs.filter((n) => !inZone.includes(n));
    const onlyZone = inZone.filter((n) => !delegationNs.includes(n));
    if (!onlyParent.length && !onlyZone.length) continue;
    const parts = [
      onlyParent.length ? `only at the parent (registrar): ${list(onlyParent)}` : "",
      onlyZone.length ? `only in the zone: ${list(onlyZone)}` : "",
    ].filter(Boolean);
    add("warning", "ns-mismatch", `The NS records at the parent and in the zone (as served by ${list(where)}) differ: ${parts.join("; ")}.`);
  }

  // --- Glue vs the addresses in the zone ---
  for (const [name, glueSet] of glue) {
    if (!isInZone(name, domain) || !delegationNs.includes(name)) continue;
    const zoneViews = new Map<string, string[]>();
    for (const ns of obs.nameservers) {
      for (const a of ns.addresses) {
        const view = a.outcome === "ok" ? a.hosts?.find((h) => h.name === name) : undefined;
        if (!view) continue;
        const key = sorted(view.addresses.map(canonicalAddress)).join(", ");
        zoneViews.set(key, [...(zoneViews.get(key) ?? []), addressLabel(ns, a)]);
      }
    }
    const glueText = sorted([...glueSet].map(canonicalAddress)).join(", ");
    for (const [zoneText, where] of zoneViews) {
      if (zoneText === glueText) continue;
      add(
        "warning",
        "glue-mismatch",
        `The parent's glue for ${name} is ${glueText}, but the zone (on ${list(where)}) says ${zoneText || "nothing (no A/AAAA record)"}: resolvers use the glue first, so update one or the other.`,
        name,
      );
    }
  }

  // --- SOA serials (RFC 1982 numbers; different ones mean a server has not caught up) ---
  const serials = new Map<number, string[]>();
  for (const ns of obs.nameservers) {
    for (const a of ns.addresses) {
      if (a.outcome === "ok" && a.serial !== undefined) serials.set(a.serial, [...(serials.get(a.serial) ?? []), addressLabel(ns, a)]);
    }
  }
  if (serials.size > 1) {
    const text = [...serials.entries()].map(([serial, where]) => `${serial} on ${list(where)}`).join("; ");
    add("warning", "serial-mismatch", `The nameservers serve different versions of ${domain} (SOA serials ${text}): one of them has not caught up with the latest change.`);
  }

  return done(usesOurNameservers(delegationNs, obs.ourNameservers));
}

// --- Gathering the observations ---

/** Per-query timeouts within the whole check's budget. */
interface Clock {
  timeout(): number;
}

function budgetClock(timeoutMs: number, budgetMs: number): Clock {
  const deadline = Date.now() + budgetMs;
  // A floor, so that a step started after slow ones still gives a healthy server time to
  // answer (a round trip across the world is ~300 ms): the check may overrun its budget by a
  // few floors, but never calls a working server silent because the clock ran out.
  const floor = Math.min(timeoutMs, 400);
  return { timeout: () => Math.max(floor, Math.min(timeoutMs, deadline - Date.now())) };
}

function groupAddresses(records: DnsRecord[], names: string[]): HostAddresses[] {
  const byName = new Map<string, string[]>();
  for (const r of records) {
    if ((r.type !== "A" && r.type !== "AAAA") || !names.includes(r.name)) continue;
    byName.set(r.name, [...(byName.get(r.name) ?? []), canonicalAddress(String(r.data))]);
  }
  return [...byName.entries()].map(([name, addresses]) => ({ name, addresses: sorted(addresses) })).sort((a, b) => a.name.localeCompare(b.name));
}

function nsOf(records: DnsRecord[], owner: string): string[] {
  return sorted(records.filter((r) => r.type === "NS" && r.name === owner).map((r) => String(r.data)));
}

function failureOutcome(outcome: Extract<QueryOutcome, { ok: false }>) {
  return { outcome: outcome.error, ms: outcome.ms, message: outcome.message };
}

function rcodeOutcome(rcode: string): "refused" | "servfail" | "nxdomain" | "error" | null {
  if (rcode === "NOERROR") return null;
  if (rcode === "REFUSED") return "refused";
  if (rcode === "SERVFAIL") return "servfail";
  if (rcode === "NXDOMAIN") return "nxdomain";
  return "error";
}

/** Step 1: one parent server's view of the delegation (<domain> NS, RD=0). */
async function askParent(server: ServerEndpoint, domain: string, parentZone: string, timeoutMs: number) {
  const reply = await queryServer(server, domain, "NS", { timeoutMs });
  if (!reply.ok) return failureOutcome(reply);
  const base = { rcode: reply.rcode, aa: reply.aa, ms: reply.ms };
  if (reply.tc) return { ...base, outcome: "truncated" as const, message: `truncated reply, and TCP failed: ${reply.tcpError}` };
  const bad = rcodeOutcome(reply.rcode);
  if (bad) return { ...base, outcome: bad, ...(bad === "error" ? { message: `answers ${reply.rcode}` } : {}) };
  const answerNs = nsOf(reply.answers, domain);
  const authorityNs = nsOf(reply.authorities, domain);
  if (answerNs.length || authorityNs.length) {
    const ns = answerNs.length ? answerNs : authorityNs;
    const glue = groupAddresses(reply.additionals, ns);
    if (answerNs.length && reply.aa) return { ...base, outcome: "authoritative" as const, ns, glue };
    const message = answerNs.length ? "the NS set came in the answer section without AA: a cached answer, not the parent's referral" : undefined;
    return { ...base, outcome: "referral" as const, ns, glue, ...(message ? { message } : {}) };
  }
  // A referral to some other cut: to an ancestor (it does not serve the parent zone and refers
  // upwards, RFC 1912 §2.8's classic lame server) or to a zone between the parent and the domain.
  const otherCut = reply.authorities.find((r) => r.type === "NS" && r.name !== domain);
  if (otherCut && !reply.aa) {
    return { ...base, outcome: "referral-elsewhere" as const, message: `refers to the zone ${otherCut.name || "(root)"} instead of answering for ${parentZone}` };
  }
  return { ...base, outcome: "nodata" as const };
}

/** Step 3: one nameserver address's view of the zone (SOA, NS, in-domain host addresses). */
export async function probeNameserver(
  server: ServerEndpoint,
  domain: string,
  inDomainHosts: string[],
  timeoutMs: number,
): Promise<NameserverAddressResult> {
  const ask = (name: string, type: string) => queryServer(server, name, type, { timeoutMs });
  const [soa, ns, ...hostReplies] = await Promise.all([
    ask(domain, "SOA"),
    ask(domain, "NS"),
    ...inDomainHosts.flatMap((h) => [ask(h, "A"), ask(h, "AAAA")]),
  ]);
  const endpoint = { address: server.address, port: server.port };
  if (!soa.ok) return { ...endpoint, ...failureOutcome(soa) };
  const base = { ...endpoint, rcode: soa.rcode, aa: soa.aa, ms: soa.ms };
  if (soa.tc) return { ...base, outcome: "truncated", message: soa.tcpError };
  const bad = rcodeOutcome(soa.rcode);
  if (bad) return { ...base, outcome: bad, ...(bad === "error" ? { message: `answers ${soa.rcode}` } : {}) };
  if (!soa.aa) {
    const referral = soa.authorities.find((r) => r.type === "NS");
    return {
      ...base,
      outcome: "not-authoritative",
      ...(referral ? { message: `it refers to ${referral.name || "the root"}` } : {}),
    };
  }
  const record = soa.answers.find((r) => r.type === "SOA" && r.name === domain);
  if (!record) {
    const enclosing = soa.authorities.find((r) => r.type === "SOA");
    return { ...base, outcome: "no-soa", ...(enclosing ? { message: `it answers from the zone ${enclosing.name || "(root)"}` } : {}) };
  }
  const result: NameserverAddressResult = { ...base, outcome: "ok", serial: (record.data as { serial?: number }).serial };
  if (ns.ok && ns.aa && ns.rcode === "NOERROR") result.ns = nsOf(ns.answers, domain);
  if (inDomainHosts.length) {
    // Only hosts for which both A and AAAA were answered authoritatively: a lost reply must
    // not read as "the zone has no address".
    result.hosts = inDomainHosts.flatMap((name, i) => {
      const pair = [hostReplies[2 * i], hostReplies[2 * i + 1]];
      if (!pair.every((r) => r.ok && r.aa && (r.rcode === "NOERROR" || r.rcode === "NXDOMAIN"))) return [];
      const answers = pair.flatMap((r) => (r.ok ? r.answers : []));
      return [{ name, addresses: sorted(answers.filter((a) => (a.type === "A" || a.type === "AAAA") && a.name === name).map((a) => canonicalAddress(String(a.data)))) }];
    });
  }
  return result;
}

export interface HostAddressLookup {
  source: "given" | "known" | "glue" | "resolver" | "none";
  endpoints: ServerEndpoint[];
  error?: string;
}

/** Where a nameserver's addresses come from, in order: given, known, glue, the resolver. */
export async function findHostAddresses(
  name: string,
  opts: {
    given?: string[];
    knownHosts?: KnownHosts;
    glue?: string[];
    resolver: ServerEndpoint | null;
    defaultPort: number;
    timeoutMs: number;
  },
): Promise<HostAddressLookup> {
  const withPort = (addresses: string[]) => sorted(addresses.map(canonicalAddress)).map((address) => ({ address, port: opts.defaultPort }));
  if (opts.given?.length) return { source: "given", endpoints: withPort(opts.given) };
  const known = opts.knownHosts?.(name);
  if (known?.length) return { source: "known", endpoints: known.map((k) => ({ address: canonicalAddress(k.address), port: k.port })) };
  if (opts.glue?.length) return { source: "glue", endpoints: withPort(opts.glue) };
  const found = await resolveAddresses(name, opts.resolver, { timeoutMs: opts.timeoutMs });
  if (found.addresses.length) return { source: "resolver", endpoints: withPort(found.addresses) };
  return { source: "none", endpoints: [], error: found.error };
}

type ParentTarget = { name?: string; address: string | null; port: number | null; message?: string };

/**
 * The NS names of a zone through the resolver. "not-apex": the name exists but has no NS (it
 * is not a zone apex), so the caller walks up a label.
 */
async function lookupZoneNs(zone: string, resolver: ServerEndpoint | null, timeoutMs: number): Promise<{ ns: string[] } | { notApex: true } | { error: string }> {
  if (resolver) {
    const reply = await queryServer(resolver, zone, "NS", { timeoutMs, recursionDesired: true });
    if (!reply.ok) return { error: reply.message };
    if (reply.rcode === "NXDOMAIN") return { error: `${zone} does not exist (NXDOMAIN)` };
    if (reply.rcode !== "NOERROR") return { error: `the resolver answered ${reply.rcode} for ${zone} NS` };
    const ns = nsOf(reply.answers, zone);
    return ns.length ? { ns } : { notApex: true };
  }
  const system = new Resolver({ timeout: timeoutMs, tries: 1 });
  let timer: NodeJS.Timeout | undefined;
  try {
    const ns = await Promise.race([
      system.resolveNs(zone || "."),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error("timeout"), { code: "ETIMEOUT" })), timeoutMs))),
    ]);
    return ns.length ? { ns: sorted(ns.map(wireName)) } : { notApex: true };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENODATA") return { notApex: true };
    if (code === "ENOTFOUND") return { error: `${zone} does not exist (NXDOMAIN)` };
    return { error: `${zone} NS: ${code ?? (e as Error).message}` };
  } finally {
    clearTimeout(timer);
    system.cancel();
  }
}

/** The parent zone's servers through the resolver: NS of the domain minus its first label. */
async function findParentServers(
  domain: string,
  input: DelegationCheckInput,
  defaultPort: number,
  clock: Clock,
): Promise<{ zone: string; targets: ParentTarget[]; error?: string }> {
  // Usually the parent is the domain minus one label ("shop.test" -> "test"). When that name
  // is not a zone apex (NOERROR without NS: "shop.co.example" where only "example" is a zone)
  // walk up until a zone cut, below the root.
  let zone = parentName(domain);
  for (;;) {
    const found = await lookupZoneNs(zone, input.resolver, clock.timeout());
    if ("error" in found) return { zone, targets: [], error: found.error };
    if ("ns" in found) {
      const lookups = await Promise.all(
        found.ns.map((name) => findHostAddresses(name, { knownHosts: input.knownHosts, resolver: input.resolver, defaultPort, timeoutMs: clock.timeout() })),
      );
      const targets = found.ns.flatMap((name, i): ParentTarget[] =>
        lookups[i].endpoints.length
          ? lookups[i].endpoints.map((e) => ({ name, address: e.address, port: e.port }))
          : [{ name, address: null, port: null, message: lookups[i].error }],
      );
      return { zone, targets };
    }
    if (zone === "" || !zone.includes(".")) return { zone, targets: [], error: `no zone cut found above ${domain}` };
    zone = parentName(zone);
  }
}

function mergeGlue(lists: HostAddresses[][]): HostAddresses[] {
  const byName = new Map<string, string[]>();
  for (const g of lists.flat()) byName.set(g.name, sorted([...(byName.get(g.name) ?? []), ...g.addresses]));
  return [...byName.entries()].map(([name, addresses]) => ({ name, addresses })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Runs the whole check. Never throws for DNS or network trouble: that is what it reports. */
export async function checkDelegation(input: DelegationCheckInput): Promise<DelegationCheckResult> {
  const checkedAt = new Date().toISOString();
  const domain = wireName(input.domain);
  const timeoutMs = input.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const defaultPort = input.defaultPort ?? 53;
  const clock = budgetClock(timeoutMs, input.budgetMs ?? 4 * timeoutMs);
  const ourNameservers = input.ourNameservers.map(wireName);

  // 1. The parent's servers, and what each says about the domain.
  const found = input.parent
    ? {
        zone: wireName(input.parent.zone),
        targets: input.parent.servers.map((s): ParentTarget => ({ ...(s.name ? { name: wireName(s.name) } : {}), address: canonicalAddress(s.address), port: s.port })),
        error: undefined,
      }
    : await findParentServers(domain, input, defaultPort, clock);
  const parentTimeout = clock.timeout();
  const servers = await Promise.all(
    found.targets.map(async (t): Promise<ParentServerResult> => {
      if (t.address === null || t.port === null) return { ...t, outcome: "no-address" };
      const endpoint = { address: t.address, port: t.port };
      return { ...(t.name ? { name: t.name } : {}), ...endpoint, ...(await askParent(endpoint, domain, found.zone, parentTimeout)) };
    }),
  );
  const delegating = servers.filter((s) => s.outcome === "referral" || s.outcome === "authoritative");
  const referrals = delegating.filter((s) => s.outcome === "referral");
  const parent: ParentResult = {
    zone: found.zone,
    source: input.parent ? "given" : "resolver",
    servers,
    ns: sorted(delegating.flatMap((s) => s.ns ?? [])),
    glue: mergeGlue((referrals.length ? referrals : delegating).map((s) => s.glue ?? [])),
    ...(found.error ? { error: found.error } : {}),
  };

  // 2. Each nameserver's addresses (known, glue, resolver), all names in parallel.
  const inDomainHosts = parent.ns.filter((n) => isInZone(n, domain));
  const lookupTimeout = clock.timeout();
  const lookups = await Promise.all(
    parent.ns.map((name) =>
      findHostAddresses(name, {
        knownHosts: input.knownHosts,
        glue: parent.glue.find((g) => g.name === name)?.addresses,
        resolver: input.resolver,
        defaultPort,
        timeoutMs: lookupTimeout,
      }),
    ),
  );

  // 3. Every address of every nameserver, in parallel.
  const probeTimeout = clock.timeout();
  const nameservers: NameserverResult[] = await Promise.all(
    parent.ns.map(async (name, i): Promise<NameserverResult> => ({
      name,
      inDomain: isInZone(name, domain),
      addressSource: lookups[i].source === "given" ? "known" : lookups[i].source,
      ...(lookups[i].error ? { addressError: lookups[i].error } : {}),
      addresses: await Promise.all(lookups[i].endpoints.map((e) => probeNameserver(e, domain, inDomainHosts, probeTimeout))),
    })),
  );

  // 4. Findings.
  const analysis = analyzeDelegation({ domain, parent, nameservers, ourNameservers });
  return { domain, checkedAt, parent, nameservers, ...analysis };
}
