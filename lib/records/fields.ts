// zod building blocks shared by the record-type schemas. Browser-safe (no node: modules): the
// panel's record form runs the same schemas for its hints as the server does for the write.
import { z } from "zod";
import { canonicalIPv6, isIP, isIPv6 } from "../dns/ip.ts";
import { NameError, normalizeAbsoluteName } from "../dns/names.ts";

export const MAX_TTL = 2_147_483_647; // RFC 2181 §8: 31 bits

export const ttlSchema = z.coerce
  .number({ error: "TTL must be a number of seconds" })
  .int("TTL must be a whole number of seconds")
  .min(1, "TTL must be at least 1 second")
  .max(MAX_TTL, `TTL must be at most ${MAX_TTL} seconds`);

/** An empty form field is missing, not zero (z.coerce.number("") would be 0). */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const uint16 = (label: string) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `${label} must be a number` })
      .int(`${label} must be a whole number`)
      .min(0, `${label} must be between 0 and 65535`)
      .max(65535, `${label} must be between 0 and 65535`),
  );

/**
 * A name a record points at (CNAME/MX/NS/SRV/PTR target). A name with a dot inside is absolute,
 * trailing dot optional ("ghs.googlehosted.com" means ghs.googlehosted.com., as in Cloudflare
 * and PowerDNS, never ghs.googlehosted.com.<zone>: the classic zone-file mistake). A single
 * label ("mail") is taken relative to the zone, since no one points an MX at a TLD; "@" is the
 * apex; "mail." forces the literal name. IP addresses are refused: these fields take a
 * hostname (RFC 1035 §3.3.9, RFC 2181 §10.3).
 */
export function targetName(zone: string, opts: { allowRoot?: boolean } = {}) {
  return z.string({ error: "a hostname is required" }).transform((raw, ctx) => {
    const input = raw.trim();
    if (input === "@") return zone;
    if (input === "") {
      ctx.addIssue({ code: "custom", message: "a hostname is required" });
      return z.NEVER;
    }
    if (input === ".") {
      if (opts.allowRoot) return "";
      ctx.addIssue({ code: "custom", message: `"." (no host) is not allowed here` });
      return z.NEVER;
    }
    if (isIP(input.replace(/\.$/, ""))) {
      ctx.addIssue({ code: "custom", message: "must be a hostname, not an IP address (add an A/AAAA record for that host)" });
      return z.NEVER;
    }
    try {
      return normalizeAbsoluteName(input.includes(".") ? input : `${input}.${zone}`);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: e instanceof NameError ? e.message : "not a valid hostname" });
      return z.NEVER;
    }
  });
}

export const ipv4Schema = z
  .string({ error: "an IPv4 address is required" })
  .trim()
  .pipe(z.ipv4({ error: "not a valid IPv4 address (expected four numbers 0-255, e.g. 192.0.2.1)" }));

/** IPv6, canonicalised to the compressed lowercase form of RFC 5952. */
export const ipv6Schema = z
  .string({ error: "an IPv6 address is required" })
  .trim()
  .transform((raw, ctx) => {
    if (!isIPv6(raw)) {
      ctx.addIssue({ code: "custom", message: "not a valid IPv6 address (e.g. 2001:db8::1)" });
      return z.NEVER;
    }
    return canonicalIPv6(raw);
  });
