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
    const parsed = spec.fields(zone).safeParse(fieldInput);
    if (parsed.success) fields = parsed.data;
    else issues.push(...zodIssues(parsed.error));
  }
  if (issues.length || !fields || !ttl.success) return { ok: false, issues };
  return { ok: true, fields, record: { name, type: spec.type, ttl: ttl.data, content: spec.toPresentation(fields) } };
}

/** Parses stored canonical content back into fields (trusted input, e.g. for the wire). */
export function parseStoredContent(type: RecordType, content: string, zone: string): Record<string, unknown> {
  const spec = RECORD_TYPE_SPECS[type];
  return spec.fields(zone).parse(spec.fromPresentation(tokenize(content)));
}
