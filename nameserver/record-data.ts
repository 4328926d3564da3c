// Stored record content -> the rdata dns-packet encodes, without zod.
//
// The write path stores every record's content in canonical presentation form (validated by
// the per-type zod schemas, lib/records/types.ts, then printed by toPresentation). Reading it
// back through those schemas costs a tokenise + a zod parse per record, which was most of the
// time of a zone load. The nameserver only needs the wire fields, and the content it reads was
// validated when written, so these readers take the canonical form apart directly. Types
// without a reader here go through the schemas (parseStoredContent), as before.
// tests/unit/record-data.test.ts checks each reader gives what the schema path gives.
import { parseStoredContent } from "../lib/records/record-input.ts";
import { binaryToUtf8, tokenize } from "../lib/records/presentation.ts";
import { RECORD_TYPE_SPECS, type RecordType } from "../lib/records/types.ts";

/** A stored absolute name ("mail.example.test.") as dns-packet takes it ("mail.example.test"; root "."). */
function wireName(stored: string): string {
  return stored === "." ? "." : stored.endsWith(".") ? stored.slice(0, -1) : stored;
}

/** "10 mail.example.test." -> [10, "mail.example.test."]: the first space splits. */
function splitFirst(content: string): [number, string] {
  const space = content.indexOf(" ");
  return [Number(content.slice(0, space)), content.slice(space + 1)];
}

type Reader = (content: string) => unknown;

const READERS: Partial<Record<RecordType, Reader>> = {
  A: (c) => c,
  AAAA: (c) => c,
  CNAME: wireName,
  NS: wireName,
  PTR: wireName,
  MX: (c) => {
    const [preference, exchange] = splitFirst(c);
    return { preference, exchange: wireName(exchange) };
  },
  SRV: (c) => {
    const [priority, weight, port, target] = c.split(" ");
    return { priority: Number(priority), weight: Number(weight), port: Number(port), target: wireName(target) };
  },
  // Quoted character-strings with escapes: the tokenizer decodes them (no zod).
  TXT: (c) => tokenize(c).map((t) => Buffer.from(t.text, "latin1")),
  CAA: (c) => {
    const [flags, tag, value] = tokenize(c);
    return { flags: Number(flags.text), tag: tag.text, value: binaryToUtf8(value.text) };
  },
  DS: (c) => {
    const [keyTag, algorithm, digestType, digest] = c.split(" ");
    return { keyTag: Number(keyTag), algorithm: Number(algorithm), digestType: Number(digestType), digest: Buffer.from(digest, "hex") };
  },
};

/** The dns-packet rdata of a stored record. Throws when the content cannot be read. */
export function recordData(type: string, content: string, zone: string): unknown {
  const read = READERS[type as RecordType];
  if (read) return read(content);
  if (!(type in RECORD_TYPE_SPECS)) throw new Error(`unknown record type ${type}`);
  return recordDataViaSchemas(type as RecordType, content, zone);
}

/** The same, always through the zod schemas: the reference the readers are tested against. */
export function recordDataViaSchemas(type: RecordType, content: string, zone: string): unknown {
  return RECORD_TYPE_SPECS[type].toWire(parseStoredContent(type, content, zone));
}
