// Who changed what and when, from the journal: each change set with its serials and the
// before/after of every record it touched.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { relativeName } from "@/lib/dns/names.ts";
import { zoneHistory, type HistoryLine } from "@/lib/zone/history.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { RelativeTime } from "@/app/_components/relative-time.tsx";
import { VisibleBy } from "@/app/_components/visible-by.tsx";

type Params = { tenant: string; domain: string };

function Line({ line, zone }: { line: HistoryLine; zone: string }) {
  const rr = (r: { name: string; type: string; ttl: number; content: string }) => (
    <span className="font-mono text-xs break-all">
      {relativeName(r.name, zone)} {r.ttl} {r.type} {r.content}
    </span>
  );
  if (line.kind === "added") return <li><span className="mr-2 font-medium text-green-700 dark:text-green-400">added</span>{rr(line.after)}</li>;
  if (line.kind === "removed") return <li><span className="mr-2 font-medium text-red-700 dark:text-red-400">removed</span>{rr(line.before)}</li>;
  return (
    <li>
      <span className="mr-2 font-medium text-amber-700 dark:text-amber-400">changed</span>
      {rr(line.before)} <span aria-hidden="true">→</span>
      <span className="sr-only"> became </span> {rr(line.after)}
    </li>
  );
}

export default async function HistoryPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<{ page?: string }> }) {
  const ref = await params;
  const { page } = await searchParams;
  const principal = await requirePrincipal();
  const history = await orNotFound(zoneHistory(principal, ref, Number(page ?? 1)));
  const base = `/t/${history.tenant.slug}/domains/${history.zone.name}`;
  return (
    <>
      <h2 className="text-lg font-semibold">Change history</h2>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        {history.total} change{history.total === 1 ? "" : "s"} to the records; each moved the SOA serial once. A change is visible everywhere once
        resolvers&apos; cached copies of what it replaced have expired. Registration and nameserver changes are on the overview.
      </p>
      <ol className="space-y-3">
        {history.entries.map((entry) => (
          <li key={entry.id} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid="history-entry">
            <p className="mb-2 flex flex-wrap gap-x-3 text-sm text-slate-600 dark:text-slate-400">
              <RelativeTime date={entry.at.toISOString()} absolute />
              <span>
                by <strong className="text-slate-800 dark:text-slate-200">{entry.who}</strong> ({entry.source})
              </span>
              <span className="font-mono">
                serial {entry.oldSerial} → {entry.newSerial}
              </span>
              <VisibleBy at={entry.visibleAt.toISOString()} />
            </p>
            <ul className="space-y-1 text-sm">
              {entry.lines.map((line, i) => (
                <Line key={i} line={line} zone={history.zone.name} />
              ))}
            </ul>
          </li>
        ))}
      </ol>
      {history.pages > 1 && (
        <nav aria-label="Pages" className="mt-4 flex items-center gap-2 text-sm">
          {history.page > 1 && <Link href={`${base}/history?page=${history.page - 1}`} className="rounded border px-2 py-1">Newer</Link>}
          <span>
            Page {history.page} of {history.pages}
          </span>
          {history.page < history.pages && <Link href={`${base}/history?page=${history.page + 1}`} className="rounded border px-2 py-1">Older</Link>}
        </nav>
      )}
    </>
  );
}
