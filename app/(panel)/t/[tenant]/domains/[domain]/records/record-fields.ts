// How each record type's form looks: its fields (names match lib/records/types.ts), labels,
// examples, and a line on what the type is for. Validation lives in lib/records, not here.
import type { RecordType } from "@/lib/records/types.ts";

export interface FormField {
  key: string;
  label: string;
  placeholder?: string;
  hint?: string;
  kind?: "text" | "number" | "textarea" | "select";
  options?: { value: string; label: string }[];
  width?: "narrow" | "wide";
}

export const TYPE_HELP: Record<RecordType, string> = {
  A: "Points a name at an IPv4 address.",
  AAAA: "Points a name at an IPv6 address.",
  CNAME: "Makes a name an alias of another name. It cannot share its name with any other record, and cannot be at the apex (@).",
  MX: "Says which servers receive mail for the name; lower priority is tried first. The target must be a hostname with A/AAAA records, not an alias.",
  TXT: "Free text: SPF, DKIM, DMARC, site verification… Long text is split into 255-byte strings for you.",
  SRV: "Locates a service (_service._proto.name): priority, weight, port and target host.",
  CAA: "Says which certificate authorities may issue certificates for the name (RFC 8659).",
  NS: "At @: the nameservers of this zone (they should match the delegation at the registry). On a subdomain: hands that subdomain to other nameservers (a delegation).",
  PTR: "Reverse DNS: names the host an address belongs to (used in in-addr.arpa / ip6.arpa zones).",
  DS: "DNSSEC for a delegated subdomain: the hash of its key, next to its NS records. Your own domain's DS is set at the registrar.",
};

const hostHint = "A full hostname (mail.example.com); a single word is taken inside this zone; @ is the zone itself.";

export const TYPE_FIELDS: Record<RecordType, FormField[]> = {
  A: [{ key: "address", label: "IPv4 address", placeholder: "192.0.2.1" }],
  AAAA: [{ key: "address", label: "IPv6 address", placeholder: "2001:db8::1" }],
  CNAME: [{ key: "target", label: "Target (alias of)", placeholder: "www.example.net", hint: hostHint, width: "wide" }],
  MX: [
    { key: "priority", label: "Priority", placeholder: "10", kind: "number", width: "narrow" },
    { key: "exchange", label: "Mail server", placeholder: "mail.example.com", hint: `${hostHint} "." means the domain accepts no mail (RFC 7505).`, width: "wide" },
  ],
  TXT: [{ key: "value", label: "Text", placeholder: "v=spf1 include:_spf.example.net -all", kind: "textarea", hint: 'Plain text; or "quoted" "strings" to set each string yourself.', width: "wide" }],
  SRV: [
    { key: "priority", label: "Priority", placeholder: "10", kind: "number", width: "narrow" },
    { key: "weight", label: "Weight", placeholder: "5", kind: "number", width: "narrow" },
    { key: "port", label: "Port", placeholder: "5060", kind: "number", width: "narrow" },
    { key: "target", label: "Target host", placeholder: "sip.example.com", hint: `${hostHint} "." means the service is not offered.`, width: "wide" },
  ],
  CAA: [
    { key: "flags", label: "Flags", kind: "select", options: [{ value: "0", label: "0" }, { value: "128", label: "128 (critical)" }], width: "narrow" },
    {
      key: "tag",
      label: "Tag",
      kind: "select",
      options: ["issue", "issuewild", "iodef", "issuemail", "issuevmc", "contactemail", "contactphone"].map((t) => ({ value: t, label: t })),
      width: "narrow",
    },
    { key: "value", label: "Value", placeholder: "letsencrypt.org", hint: 'issue/issuewild: a CA\'s domain, or ";" to forbid; iodef: a mailto: or https:// URL.', width: "wide" },
  ],
  NS: [{ key: "host", label: "Nameserver", placeholder: "ns1.example.net", hint: hostHint, width: "wide" }],
  PTR: [{ key: "target", label: "Host name", placeholder: "host.example.com", hint: hostHint, width: "wide" }],
  DS: [
    { key: "keyTag", label: "Key tag", placeholder: "12345", kind: "number", width: "narrow" },
    { key: "algorithm", label: "Algorithm", placeholder: "13", kind: "number", width: "narrow", hint: "13 = ECDSA P-256, 15 = Ed25519, 8 = RSA/SHA-256" },
    { key: "digestType", label: "Digest type", kind: "select", options: [{ value: "2", label: "2 (SHA-256)" }, { value: "4", label: "4 (SHA-384)" }], width: "narrow" },
    { key: "digest", label: "Digest", placeholder: "hexadecimal", width: "wide" },
  ],
};

export const DEFAULT_FIELD_VALUES: Partial<Record<RecordType, Record<string, string>>> = {
  CAA: { flags: "0", tag: "issue" },
  DS: { digestType: "2" },
};

/** Common TTLs, offered as suggestions beside the number field. */
export const TTL_PRESETS = [60, 300, 1800, 3600, 14400, 86400];

export function describeTtl(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} day${seconds === 86400 ? "" : "s"}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
