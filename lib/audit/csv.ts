// The audit log as CSV (RFC 4180), written by csv-stringify batch by batch so an export of any
// size streams with flat memory. Quoting is the library's: fields with a comma, a quote or a
// line break are quoted, quotes doubled; records end with CRLF.
//
// CSV ("formula") injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or
// carriage return) as a formula, and audit fields hold what users typed (an email tried at
// sign-in, a target, a reason). Such cells are written with a leading ' (csv-stringify's
// `escape_formulas`), which spreadsheets show as text; a reader of the raw file sees the '.
import { stringify, type Options } from "csv-stringify/sync";
import type { AuditLogEntry } from "./queries.ts";

export const AUDIT_CSV_COLUMNS = ["time", "actor", "tenant", "action", "target", "client_address", "details"] as const;

const OPTIONS: Options = {
  record_delimiter: "windows",
  escape_formulas: true,
  // A field with a line break is quoted whatever the record delimiter (csv-stringify quotes
  // only its own delimiter by default, and a bare CR or LF inside a field breaks readers).
  quoted_match: /[\r\n]/,
};

const row = (e: AuditLogEntry): string[] => [
  e.at.toISOString(),
  e.actor,
  e.tenant ?? "",
  e.action,
  e.target,
  e.clientAddress ?? "",
  JSON.stringify(e.details ?? {}),
];

/** The CSV text, chunk by chunk: the header row, then one chunk per batch of entries. */
export async function* auditCsvChunks(batches: AsyncIterable<AuditLogEntry[]>): AsyncGenerator<string> {
  yield stringify([[...AUDIT_CSV_COLUMNS]], OPTIONS);
  for await (const batch of batches) {
    if (batch.length) yield stringify(batch.map(row), OPTIONS);
  }
}

/**
 * A byte stream of the CSV for a Response body. Each read pulls one batch from the database
 * (backpressure: a slow download does not read ahead); a cancelled download stops the reads.
 */
export function auditCsvStream(batches: AsyncGenerator<AuditLogEntry[]>): ReadableStream<Uint8Array> {
  const chunks = auditCsvChunks(batches);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (e) {
        // The response has started (200): all that is left is to break it off, visibly.
        console.error("[panel] audit CSV export failed:", e);
        controller.error(e);
      }
    },
    async cancel() {
      await chunks.return(undefined);
      await batches.return(undefined);
    },
  });
}

/** "audit-<subject>-<YYYY-MM-DD>.csv", the subject being "platform" or a tenant's slug. */
export function auditCsvFilename(subject: string, now = new Date()): string {
  return `audit-${subject.replace(/[^A-Za-z0-9_-]/g, "_")}-${now.toISOString().slice(0, 10)}.csv`;
}

/** The headers of a CSV download. */
export function auditCsvHeaders(subject: string, now = new Date()): HeadersInit {
  return {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${auditCsvFilename(subject, now)}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
}
