// The schema of one record as every caller submits it, and its normalised form.
//
// Callers give either `fields` (the panel's per-type form) or `content` (zone-file presentation
// format, from the CLI, the API or an imported zone file). Both end up as a NormalizedRecord
// whose `content` is canonical, so the same record always has the same stored text (which is
// what the duplicate check and the database's unique index compare).
import { z } from "zod";
import type { FieldIssue } from "../errors.ts";
import { NameError, resolveOwnerName } from "../dns/names.ts";
import { zodIssues } from "../validation.ts";
import { ttlSchema } from "./fields.ts";
import { PresentationError, tokenize } from "./presentation.ts";
import { RECORD_TYPE_SPECS, RECORD_TYPES, type RecordType } from "./types.ts";

export interface NormalizedRecord {
  name: string; // absolute, stored form
  type: RecordType;
  ttl: number;
  content: string; // canonical presentation
}

export const recordInputSchema = z.object({
  name: z.string({ error: "a name is required" }).max(300),
  type: z.string({ error: "a type is required" }),
  ttl: z.union([z.number(), z.string()]).optional(),
  content: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
});
export type RecordInput = z.infer<typeof recordInputSchema>;

export type RecordValidation =
  | { ok: true; record: NormalizedRecord; fields: Record<string, unknown> }
  | { ok: false; issues: FieldIssue[] };


/**
 * The fields schema of a type for a zone, built once and reused. Building a zod object schema
 * is far dearer than parsing with it (zod compiles a parser for each new object schema on its
 * first use), and a zone import validates 100,000 records against the same few schemas. The
 * schemas are immutable, so sharing them is safe. Types whose schema ignores the zone (A, TXT,
 * CAA...: `fields` declares no parameter) have one entry; the others one per zone, and the cache
 * is bounded by dropping it whole when a long-running process has seen very many zones
 * (rebuilding is cheap next to unbounded growth).
 */
const fieldSchemas = new Map<string, ReturnType<(typeof RECORD_TYPE_SPECS)[RecordType]["fields"]>>();
const MAX_CACHED_SCHEMAS = 5_000;
export function fieldsSchema(type: RecordType, zone: string) {
  const key = RECORD_TYPE_SPECS[type].fields.length === 0 ? type : `${type} ${zone}`;
  let schema = fieldSchemas.get(key);
  if (!schema) {
    if (fieldSchemas.size >= MAX_CACHED_SCHEMAS) fieldSchemas.clear();
    schema = RECORD_TYPE_SPECS[type].fields(zone);
    fieldSchemas.set(key, schema);
  }
  return schema;
}

/** Validates one record for `zone`. Pure: no database; the zone-wide rules come later. */
export function validateRecord(input: unknown, zone: string, defaultTtl: number): RecordValidation {
  const shape = recordInputSchema.safeParse(input);
  if (!shape.success) return { ok: false, issues: zodIssues(shape.error) };
  const { name: rawName, content, fields: rawFields } = shape.data;
  const issues: FieldIssue[] = [];

  const type = shape.data.type.trim().toUpperCase();
  if (type === "SOA") return { ok: false, issues: [{ path: ["type"], message: "the SOA record is managed automatically (its serial moves on every change)" }] };
  if (!(RECORD_TYPES as readonly string[]).includes(type)) {
    return { ok: false, issues: [{ path: ["type"], message: `unsupported type "${shape.data.type}" (supported: ${RECORD_TYPES.join(", ")})` }] };
  }
  const spec = RECORD_TYPE_SPECS[type as RecordType];

  let name = "";
  try {
    name = resolveOwnerName(rawName, zone);
    if (name !== zone && !name.endsWith(`.${zone}`)) issues.push({ path: ["name"], message: `"${rawName}" is outside the zone ${zone}` });
  } catch (e) {
    issues.push({ path: ["name"], message: e instanceof NameError ? e.message : "not a valid name" });
  }
  if (type === "SRV" && name && !/^_[^.]+\._[^.]+\./.test(name)) {
    issues.push({ path: ["name"], message: "an SRV name must start with _service._protocol, e.g. _sip._tcp (RFC 2782)" });
  }

  const ttl = ttlSchema.safeParse(shape.data.ttl === undefined || shape.data.ttl === "" ? defaultTtl : shape.data.ttl);
  if (!ttl.success) issues.push(...zodIssues(ttl.error, ["ttl"]));

  let fieldInput: Record<string, unknown> | undefined = rawFields;
  if (!fieldInput) {
    if (content === undefined || content.trim() === "") {
      issues.push({ path: ["content"], message: "a value is required" });
    } else {
      try {
        fieldInput = spec.fromPresentation(tokenize(content));
      } catch (e) {
        issues.push({ path: ["content"], message: e instanceof PresentationError ? e.message : String(e) });
      }
    }
  }
  let fields: Record<string, unknown> | undefined;
  if (fieldInput) {
    const parsed = fieldsSchema(spec.type, zone).safeParse(fieldInput);
    if (parsed.success) fields = parsed.data;
    else issues.push(...zodIssues(parsed.error));
  }
  if (issues.length || !fields || !ttl.success) return { ok: false, issues };
  return { ok: true, fields, record: { name, type: spec.type, ttl: ttl.data, content: spec.toPresentation(fields) } };
}

/** Parses stored canonical content back into fields (trusted input, e.g. for the wire). */
export function parseStoredContent(type: RecordType, content: string, zone: string): Record<string, unknown> {
  const spec = RECORD_TYPE_SPECS[type];
  return fieldsSchema(type, zone).parse(spec.fromPresentation(tokenize(content)));
}
