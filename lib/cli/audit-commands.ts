// CLI: audit ls (platform administration). The operator reads the whole log (the CLI runs with
// the database's credentials; there is no principal to check), with the same filter as the
// panel's /admin/audit and the same CSV writer as its download.
import { auditCsvChunks } from "../audit/csv.ts";
import { auditLogBatches, auditLogPage, type AuditLogEntry } from "../audit/queries.ts";
import { option, flag, UsageError, type CliOutput, type CommandSet } from "./args.ts";

/** Plain output shows this many entries, newest first; --csv writes every one. */
export const AUDIT_LS_LIMIT = 1000;

const USAGE = "audit ls [--tenant <slug>] [--action <name>] [--since <ISO date>] [--csv]";

/** One entry on one line: time, tenant ("-": platform-wide), action, target, who, from where, details. */
export function auditLine(e: AuditLogEntry): string {
  const details = JSON.stringify(e.details ?? {});
  return [
    e.at.toISOString(),
    e.tenant ?? "-",
    e.action,
    e.target,
    `by ${e.actor}`,
    ...(e.clientAddress ? [`from ${e.clientAddress}`] : []),
    ...(details !== "{}" ? [details] : []),
  ].join(" ");
}

function writeOut(chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(chunk, (e) => (e ? reject(e) : resolve()));
  });
}

/**
 * Writes the CSV to stdout batch by batch, all but its end: that is returned, for
 * scripts/cli.ts to print like any command's output (console.log adds the final newline).
 */
async function streamCsv(batches: AsyncGenerator<AuditLogEntry[]>): Promise<string> {
  let pending: string | null = null;
  for await (const chunk of auditCsvChunks(batches)) {
    if (pending !== null) await writeOut(pending);
    pending = chunk;
  }
  return (pending ?? "").replace(/\n$/, "");
}

async function auditLs(args: string[]): Promise<CliOutput> {
  const filter = { tenant: option(args, "--tenant"), action: option(args, "--action"), since: option(args, "--since") };
  const csv = flag(args, "--csv");
  if (args.length) throw new UsageError(USAGE);
  if (csv) return streamCsv(auditLogBatches({}, filter));
  const page = await auditLogPage({}, filter, { pageSize: AUDIT_LS_LIMIT });
  if (page.entries.length === 0) return "no entries";
  const lines = page.entries.map(auditLine);
  if (page.older) lines.push(`(the newest ${AUDIT_LS_LIMIT} only: narrow with --since, --action or --tenant, or write them all with --csv)`);
  return lines.join("\n");
}

export const auditCommands: CommandSet = {
  usage: [`${USAGE}   newest first (at most ${AUDIT_LS_LIMIT} lines; --csv: all, as CSV)`],
  commands: { "audit ls": auditLs },
};
