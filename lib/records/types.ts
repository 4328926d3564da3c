// One schema per record type, shared by the panel's forms, the API, the CLI and zone import.
//
// Each type has:
//   fields(zone)      zod schema of its fields (what a form edits), resolving names in `zone`
//   fromPresentation  zone-file tokens -> raw fields (what the CLI and zone files give)
//   toPresentation    validated fields -> canonical content, as stored and displayed
//   toWire            validated fields -> dns-packet rdata
//   targets           the names this record points at (for the zone rules)
import { z } from "zod";
import { targetName, ipv4Schema, ipv6Schema, uint16 } from "./fields.ts";
import { binaryToUtf8, PresentationError, quoteCharacterString, tokenize, utf8ToBinary, type Token } from "./presentation.ts";
import { fqdn } from "../dns/names.ts";

export const RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA", "NS", "PTR", "DS"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const TXT_STRING_MAX = 255; // RFC 1035 §3.3: one character-string
export const TXT_TOTAL_MAX = 4000; // our limit for one TXT record (fits a 4096-bit DKIM key)

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface RecordTypeSpec {
  type: RecordType;
  /** Field names in presentation order, for forms and for mapping CLI tokens. */
  fieldNames: string[];
  fields(zone: string): z.ZodType<any, any>;
  fromPresentation(tokens: Token[]): Record<string, unknown>;
  toPresentation(fields: any): string;
  toWire(fields: any): unknown;
  targets(fields: any): string[];
}

/** Maps tokens to fields in order; too many or too few tokens is an error. */
function positional(names: string[]) {
  return (tokens: Token[]) => {
    if (tokens.length !== names.length) {
      throw new PresentationError(`expected ${names.length} value(s): ${names.join(" ")}`);
    }
    // Tokens hold raw octets; fields are text (UTF-8), e.g. an IDN hostname typed in the CLI.
    return Object.fromEntries(names.map((n, i) => [n, binaryToUtf8(tokens[i].text)]));
  };
}

const singleName = (type: "CNAME" | "NS" | "PTR", field: string): RecordTypeSpec => ({
  type,
  fieldNames: [field],
  fields: (zone) => z.object({ [field]: targetName(zone) }),
  fromPresentation: positional([field]),
  toPresentation: (f) => fqdn(f[field]),
  toWire: (f) => f[field],
  targets: (f) => [f[field]],
});

const A: RecordTypeSpec = {
  type: "A",
  fieldNames: ["address"],
  fields: () => z.object({ address: ipv4Schema }),
  fromPresentation: positional(["address"]),
  toPresentation: (f) => f.address,
  toWire: (f) => f.address,
  targets: () => [],
};

const AAAA: RecordTypeSpec = {
  ...A,
  type: "AAAA",
  fields: () => z.object({ address: ipv6Schema }),
};

const MX: RecordTypeSpec = {
  type: "MX",
  fieldNames: ["priority", "exchange"],
  // "0 ." is a null MX: the domain accepts no mail (RFC 7505).
  fields: (zone) => z.object({ priority: uint16("priority"), exchange: targetName(zone, { allowRoot: true }) }),
  fromPresentation: positional(["priority", "exchange"]),
  toPresentation: (f) => `${f.priority} ${fqdn(f.exchange)}`,
  toWire: (f) => ({ preference: f.priority, exchange: f.exchange || "." }),
  targets: (f) => (f.exchange ? [f.exchange] : []),
};

const SRV: RecordTypeSpec = {
  type: "SRV",
  fieldNames: ["priority", "weight", "port", "target"],
  fields: (zone) =>
    z.object({
      priority: uint16("priority"),
      weight: uint16("weight"),
      port: uint16("port"),
      // "." means the service is decidedly not available at this domain (RFC 2782).
      target: targetName(zone, { allowRoot: true }),
    }),
  fromPresentation: positional(["priority", "weight", "port", "target"]),
  toPresentation: (f) => `${f.priority} ${f.weight} ${f.port} ${fqdn(f.target)}`,
  toWire: (f) => ({ priority: f.priority, weight: f.weight, port: f.port, target: f.target || "." }),
  targets: (f) => (f.target ? [f.target] : []),
};

/**
 * TXT takes either plain text (split automatically into 255-byte strings) or, when it starts
 * with a double quote, presentation format: one or more quoted strings kept as given.
 */
const txtValue = z.string({ error: "a value is required" }).transform((raw, ctx) => {
  let strings: string[];
  if (raw.trimStart().startsWith('"')) {
    try {
      strings = tokenize(raw).map((t) => t.text);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
    const long = strings.find((s) => s.length > TXT_STRING_MAX);
    if (long !== undefined) {
      ctx.addIssue({ code: "custom", message: `each quoted string must be at most ${TXT_STRING_MAX} bytes; leave out the quotes to have long text split for you` });
      return z.NEVER;
    }
  } else {
    const binary = utf8ToBinary(raw);
    strings = [];
    for (let i = 0; i < binary.length; i += TXT_STRING_MAX) strings.push(binary.slice(i, i + TXT_STRING_MAX));
  }
  if (strings.length === 0 || strings.every((s) => s === "")) {
    ctx.addIssue({ code: "custom", message: "a value is required" });
    return z.NEVER;
  }
  const total = strings.reduce((n, s) => n + s.length, 0);
  if (total > TXT_TOTAL_MAX) {
    ctx.addIssue({ code: "custom", message: `text is ${total} bytes; at most ${TXT_TOTAL_MAX} are allowed` });
    return z.NEVER;
  }
  return strings;
});

const TXT: RecordTypeSpec = {
  type: "TXT",
  fieldNames: ["value"],
  fields: () => z.object({ value: txtValue }),
  fromPresentation: (tokens) =>
    tokens.some((t) => t.quoted)
      ? { value: tokens.map((t) => quoteCharacterString(t.text)).join(" ") }
      : { value: tokens.map((t) => binaryToUtf8(t.text)).join(" ") },
  toPresentation: (f) => (f.value as string[]).map(quoteCharacterString).join(" "),
  // Server side only (the nameserver): Buffer is not touched when the browser loads this module.
  toWire: (f) => (f.value as string[]).map((s) => Buffer.from(s, "latin1")),
  targets: () => [],
};

// RFC 8659: tag is 1-15 ASCII letters/digits; only the Issuer Critical flag (128) is defined.
const CAA_KNOWN_TAGS = ["issue", "issuewild", "iodef", "issuemail", "issuevmc", "contactemail", "contactphone"];
const caaFields = z
  .object({
    flags: z.coerce
      .number({ error: "flags must be a number" })
      .int()
      .refine((n) => n === 0 || n === 128, "flags must be 0, or 128 (issuer critical); other bits are reserved (RFC 8659 §4.1)"),
    tag: z
      .string()
      .trim()
      .regex(/^[a-zA-Z0-9]{1,15}$/, "tag must be 1-15 letters or digits, e.g. issue, issuewild, iodef")
      .transform((t) => t.toLowerCase()),
    value: z.string().max(1000, "value is too long"),
  })
  .superRefine((f, ctx) => {
    if (!CAA_KNOWN_TAGS.includes(f.tag) && f.flags !== 128) {
      ctx.addIssue({ code: "custom", path: ["tag"], message: `unknown tag "${f.tag}" (known: ${CAA_KNOWN_TAGS.join(", ")})` });
    }
    if (f.tag === "issue" || f.tag === "issuewild") {
      // issuer-domain-name [";" parameters], or ";" alone to forbid issuance (RFC 8659 §4.2).
      const [domain, ...params] = f.value.split(";").map((s) => s.trim());
      if (domain && !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i.test(domain)) {
        ctx.addIssue({ code: "custom", path: ["value"], message: `"${domain}" is not a valid issuer domain name (e.g. letsencrypt.org)` });
      }
      for (const p of params.filter(Boolean)) {
        if (!/^[a-z0-9]+=[\x21-\x3a\x3c-\x7e]*$/i.test(p)) {
          ctx.addIssue({ code: "custom", path: ["value"], message: `"${p}" is not a valid parameter (key=value)` });
        }
      }
    }
    if (f.tag === "iodef" && !/^(mailto:[^\s@]+@[^\s@]+|https?:\/\/\S+)$/i.test(f.value)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "iodef must be a mailto: or http(s):// URL (RFC 8659 §4.4)" });
    }
  });

const CAA: RecordTypeSpec = {
  type: "CAA",
  fieldNames: ["flags", "tag", "value"],
  fields: () => caaFields,
  fromPresentation: positional(["flags", "tag", "value"]),
  toPresentation: (f) => `${f.flags} ${f.tag} ${quoteCharacterString(utf8ToBinary(f.value))}`,
  toWire: (f) => ({ flags: f.flags, tag: f.tag, value: f.value }),
  targets: () => [],
};

// DS (RFC 4034 §5): the hash of a child zone's key, published at the delegation point in the
// parent. Digest types 2 (SHA-256) and 4 (SHA-384); SHA-1 (1) must no longer be published
// (RFC 8624 §3.3). The digest's length is fixed by its type.
const DS_DIGEST_HEX_LENGTH: Record<number, number> = { 2: 64, 4: 96 };
const uint8 = (label: string) =>
  z.coerce.number({ error: `${label} must be a number` }).int(`${label} must be a whole number`).min(0, `${label} must be 0-255`).max(255, `${label} must be 0-255`);
const dsFields = z
  .object({
    keyTag: uint16("key tag"),
    algorithm: uint8("algorithm").refine((n) => n > 0, "algorithm 0 is reserved (RFC 4034 §A.1)"),
    digestType: uint8("digest type").refine((n) => n in DS_DIGEST_HEX_LENGTH, "digest type must be 2 (SHA-256) or 4 (SHA-384); SHA-1 (1) is no longer allowed (RFC 8624)"),
    digest: z
      .string({ error: "a digest is required" })
      .transform((d) => d.replace(/\s+/g, "").toUpperCase())
      .refine((d) => /^[0-9A-F]+$/.test(d), "the digest is hexadecimal"),
  })
  .superRefine((f, ctx) => {
    const length = DS_DIGEST_HEX_LENGTH[f.digestType];
    if (length && f.digest.length !== length) {
      ctx.addIssue({ code: "custom", path: ["digest"], message: `a digest of type ${f.digestType} has ${length} hex digits, not ${f.digest.length}` });
    }
  });

const DS: RecordTypeSpec = {
  type: "DS",
  fieldNames: ["keyTag", "algorithm", "digestType", "digest"],
  fields: () => dsFields,
  // The digest may be split over several tokens in zone files (RFC 4034 §5.3).
  fromPresentation: (tokens) => {
    if (tokens.length < 4) throw new PresentationError("expected 4 values: key tag, algorithm, digest type, digest");
    const [keyTag, algorithm, digestType, ...digest] = tokens.map((t) => t.text);
    return { keyTag, algorithm, digestType, digest: digest.join("") };
  },
  toPresentation: (f) => `${f.keyTag} ${f.algorithm} ${f.digestType} ${f.digest}`,
  toWire: (f) => ({ keyTag: f.keyTag, algorithm: f.algorithm, digestType: f.digestType, digest: Buffer.from(f.digest, "hex") }),
  targets: () => [],
};

export const RECORD_TYPE_SPECS: Record<RecordType, RecordTypeSpec> = {
  A,
  AAAA,
  CNAME: singleName("CNAME", "target"),
  MX,
  TXT,
  SRV,
  CAA,
  NS: singleName("NS", "host"),
  PTR: singleName("PTR", "target"),
  DS,
};

export function isRecordType(type: string): type is RecordType {
  return (RECORD_TYPES as readonly string[]).includes(type);
}
