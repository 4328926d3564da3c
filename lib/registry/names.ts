// Which names can be registered, and why a name cannot: the rules a registry applies before it
// looks at its database. Pure: no database (lib/registry/local-registry.ts adds "taken").
//
// A registrable name is exactly one label below a TLD the registry runs ("shop" + "test").
// Labels are letter-digit-hyphen hostnames (RFC 952/1123, RFC 5891 for IDN): no underscore,
// no hyphen at either end, and "--" in the third and fourth position only for IDN A-labels
// ("xn--"), as registries require (RFC 5891 §4.2.3.1).
import { domainToUnicode } from "node:url";
import { NameError, normalizeAbsoluteName } from "../dns/names.ts";

export type NameVerdict = "available" | "taken" | "not-offered" | "invalid" | "reserved";

export interface NameCheck {
  /** What the user typed, trimmed. */
  input: string;
  /** The name in ASCII (punycode for IDN), lowercase, no trailing dot; "" when it could not be read. */
  name: string;
  /** The same name with its IDN labels in Unicode (equal to `name` for ASCII names). */
  unicode: string;
  /** The TLD of the registry that would hold it ("" when none of ours). */
  tld: string;
  verdict: NameVerdict;
  /** Why, in words a site owner understands. */
  reason: string;
}

/** Labels a registry keeps for itself (RFC 2606 names, and what its own services use). */
export const RESERVED_LABELS = ["nic", "whois", "rdap", "registry", "registrar", "www", "example", "localhost", "invalid", "test", "hostmaster", "root"];

/** The name with its A-labels ("xn--...") as Unicode; an A-label that does not decode stays as it is. */
function unicodeOf(name: string): string {
  return name
    .split(".")
    .map((label) => (label.startsWith("xn--") ? domainToUnicode(label) || label : label))
    .join(".");
}

/** The registry TLD a name is under: the longest of `tlds` it ends with ("" when none). */
export function tldOf(name: string, tlds: readonly string[]): string {
  let best = "";
  for (const tld of tlds) if ((name === tld || name.endsWith(`.${tld}`)) && tld.length > best.length) best = tld;
  return best;
}

/** The registered domain a host name lives under: one label below its TLD ("" when none). */
export function registrableAncestor(host: string, tld: string): string {
  if (!tld || host === tld || !host.endsWith(`.${tld}`)) return "";
  const below = host.slice(0, -(tld.length + 1)).split(".");
  return `${below[below.length - 1]}.${tld}`;
}

/**
 * Checks a name as typed against the registry's rules. `tlds`: the TLDs it runs;
 * `reservedDomains`: whole names kept by the platform (e.g. the domain of its own nameservers).
 * The verdict is "available" when nothing here objects; the caller then checks "taken".
 */
export function checkRegistrableName(input: string, tlds: readonly string[], reservedDomains: readonly string[] = []): NameCheck {
  const typed = input.trim();
  const base = { input: typed, name: "", unicode: "", tld: "" };
  if (!typed) return { ...base, verdict: "invalid", reason: "type a domain name, e.g. shop.test" };
  if (/^[a-z]+:\/\//i.test(typed) || typed.includes("/")) {
    return { ...base, verdict: "invalid", reason: "type only the domain name, without http:// or a path" };
  }
  let name: string;
  try {
    name = normalizeAbsoluteName(typed);
  } catch (e) {
    return { ...base, verdict: "invalid", reason: e instanceof NameError ? e.message : "not a valid domain name" };
  }
  const unicode = unicodeOf(name);
  const at = { ...base, name, unicode };
  if (name.includes("_")) return { ...at, verdict: "invalid", reason: "a domain name cannot contain an underscore (letters, digits and hyphens only)" };
  if (name.includes("*")) return { ...at, verdict: "invalid", reason: "a domain name cannot contain *" };
  const tld = tldOf(name, tlds);
  if (!tld) {
    const offer = tlds.length ? `we offer ${tlds.map((t) => `.${t}`).join(", ")}` : "this installation runs no registry TLDs (REGISTRY_TLDS)";
    return { ...at, verdict: "not-offered", reason: `we do not register names under .${name.split(".").at(-1)}; ${offer}` };
  }
  if (name === tld) return { ...at, tld, verdict: "invalid", reason: `.${tld} itself cannot be registered; register a name under it, e.g. shop.${tld}` };
  const labels = name.slice(0, -(tld.length + 1)).split(".");
  if (labels.length > 1) {
    const parent = `${labels.at(-1)}.${tld}`;
    return { ...at, tld, verdict: "invalid", reason: `only names directly under .${tld} are registered; ${name} is inside ${parent}: register ${parent} and add records for the rest` };
  }
  const label = labels[0];
  if (label.startsWith("-") || label.endsWith("-")) return { ...at, tld, verdict: "invalid", reason: "a name cannot start or end with a hyphen" };
  if (label.slice(2, 4) === "--" && !label.startsWith("xn--")) {
    return { ...at, tld, verdict: "invalid", reason: 'hyphens in the 3rd and 4th position are kept for internationalised names ("xn--")' };
  }
  if (label.startsWith("xn--") && unicodeOf(label) === label) {
    return { ...at, tld, verdict: "invalid", reason: `"${label}" is not a valid internationalised (punycode) label` };
  }
  if (RESERVED_LABELS.includes(label) || reservedDomains.includes(name)) {
    return { ...at, tld, verdict: "reserved", reason: `${unicode} is reserved by the registry` };
  }
  return { ...at, tld, verdict: "available", reason: `${unicode} is available` };
}
