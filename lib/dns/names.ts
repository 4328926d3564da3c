// Domain names as users type them, and as we store them.
//
// Stored form: lowercase, ASCII (IDN converted to punycode, RFC 5891), absolute, WITHOUT the
// trailing dot: "www.example.test". The root is "". Presentation form adds the dot.

/**
 * UTS #46 / IDNA to-ASCII of a non-ASCII name, as WHATWG URL hosts do it (Node's
 * url.domainToASCII is the same algorithm; this form also runs in the browser). Characters
 * that URL syntax would read as something else are refused first.
 */
function domainToASCII(name: string): string {
  if (/[\s/?#@:%\\[\]<>^|"]/.test(name)) return "";
  try {
    return new URL(`http://${name}/`).hostname;
  } catch {
    return "";
  }
}

export const MAX_NAME_LENGTH = 253; // 255 octets on the wire, minus the length bytes (RFC 1035 §2.3.4)
const MAX_LABEL_LENGTH = 63;
// Letters, digits, hyphen (RFC 952/1123 hostnames) plus underscore, which service labels
// (_dmarc, _sip._tcp, DKIM selectors) need (RFC 8552). No leading or trailing hyphen.
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;

export class NameError extends Error {}

/** Lowercases, converts IDN labels to punycode, and strips one trailing dot. Throws NameError. */
export function normalizeAbsoluteName(input: string, opts: { allowWildcard?: boolean } = {}): string {
  let name = input.trim();
  if (name.endsWith(".")) name = name.slice(0, -1);
  if (name === "") return "";
  // domainToASCII also lowercases; only call it where needed because it rejects "*" and "_".
  if (/[^\x00-\x7f]/.test(name)) {
    const ascii = domainToASCII(name);
    if (!ascii) throw new NameError(`"${input}" is not a valid internationalised domain name`);
    name = ascii;
  }
  name = name.toLowerCase();
  if (name.length > MAX_NAME_LENGTH) throw new NameError(`name is longer than ${MAX_NAME_LENGTH} characters`);
  const labels = name.split(".");
  labels.forEach((label, i) => {
    if (label === "") throw new NameError(`"${input}" has an empty label`);
    if (label.length > MAX_LABEL_LENGTH) throw new NameError(`label "${label}" is longer than ${MAX_LABEL_LENGTH} characters`);
    if (label === "*" && i === 0 && opts.allowWildcard) return;
    if (!LABEL.test(label)) {
      throw new NameError(
        label.includes("*")
          ? `"*" is only allowed as the whole leftmost label (a wildcard)`
          : `"${label}" is not a valid label (letters, digits, hyphens and underscores; no hyphen at either end)`,
      );
    }
  });
  return name;
}

/** True when `name` is `zone` or below it. Both in stored form. */
export function isInZone(name: string, zone: string): boolean {
  return zone === "" || name === zone || name.endsWith(`.${zone}`);
}

/**
 * Resolves an owner name typed relative to a zone, the way serious panels do:
 * "@" or "" is the apex; "www" is www.<zone>; "www.example.com." (trailing dot) is absolute;
 * "www.example.com" (already ending in the zone name) is taken as absolute too, so that
 * pasting a full name does not produce www.example.com.example.com.
 */
export function resolveOwnerName(input: string, zone: string): string {
  const raw = input.trim();
  if (raw === "" || raw === "@") return zone;
  if (raw.endsWith(".")) return normalizeAbsoluteName(raw, { allowWildcard: true });
  const lowered = normalizeAbsoluteName(raw, { allowWildcard: true });
  if (lowered === zone || lowered.endsWith(`.${zone}`)) return lowered;
  return normalizeAbsoluteName(`${raw}.${zone}`, { allowWildcard: true });
}

/** The name relative to the zone, as shown in tables: "@" for the apex. */
export function relativeName(name: string, zone: string): string {
  if (name === zone) return "@";
  return name.endsWith(`.${zone}`) ? name.slice(0, -(zone.length + 1)) : `${name}.`;
}

/** Presentation form with the trailing dot: "example.test." ("." for the root). */
export function fqdn(name: string): string {
  return `${name}.`;
}

/** The parent of a name in stored form ("" above a single label). */
export function parentName(name: string): string {
  const dot = name.indexOf(".");
  return dot === -1 ? "" : name.slice(dot + 1);
}
