// The other direction of the record form: a stored record as the values of its per-type form,
// so that saving the form unchanged gives back the same record. Browser-safe.
import { binaryToUtf8, quoteCharacterString } from "./presentation.ts";
import { parseStoredContent } from "./record-input.ts";
import { TXT_STRING_MAX, type RecordType } from "./types.ts";

/** A target name as typed in the form: absolute names keep a dot inside ("mail." for a TLD-like one). */
function nameValue(name: string): string {
  if (name === "") return ".";
  return name.includes(".") ? name : `${name}.`;
}

/** TXT strings: plain text when they look auto-split (all but the last full), else quoted. */
function txtValue(strings: string[]): string {
  const autoSplit = strings.slice(0, -1).every((s) => s.length === TXT_STRING_MAX);
  const text = binaryToUtf8(strings.join(""));
  if (autoSplit && !text.trimStart().startsWith('"') && !text.includes("\uFFFD")) return text;
  return strings.map(quoteCharacterString).join(" ");
}

export function formValuesOf(type: RecordType, content: string, zone: string): Record<string, string> {
  const f = parseStoredContent(type, content, zone) as Record<string, unknown>;
  switch (type) {
    case "A":
    case "AAAA":
      return { address: String(f.address) };
    case "CNAME":
    case "PTR":
      return { target: nameValue(f.target as string) };
    case "NS":
      return { host: nameValue(f.host as string) };
    case "MX":
      return { priority: String(f.priority), exchange: nameValue(f.exchange as string) };
    case "SRV":
      return { priority: String(f.priority), weight: String(f.weight), port: String(f.port), target: nameValue(f.target as string) };
    case "TXT":
      return { value: txtValue(f.value as string[]) };
    case "CAA":
      return { flags: String(f.flags), tag: String(f.tag), value: String(f.value) };
    case "DS":
      return { keyTag: String(f.keyTag), algorithm: String(f.algorithm), digestType: String(f.digestType), digest: String(f.digest) };
  }
}
