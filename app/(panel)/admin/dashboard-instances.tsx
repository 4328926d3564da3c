// The nameserver instances: each one's heartbeat (a running instance reports every few seconds;
// one silent for NAMESERVER_ALIVE_SECONDS is gone and no longer waited for) and its served-serial
// lag: how many served zones it serves an older serial of (or not at all), and how long ago the
// oldest change it lacks was committed.
import { INSTANCES_LISTED_FOR_SECONDS, type NameserverInstanceStatus } from "@/lib/metrics/nameserver-instances.ts";
import { NAMESERVER_ALIVE_SECONDS } from "@/lib/zone/served.ts";
import { Badge, Table, Th } from "@/app/_components/ui.tsx";
import { RelativeTime } from "@/app/_components/relative-time.tsx";

/** "4 s", "3 min", "2 h 5 min", "3 days". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) {
    const minutes = Math.floor((seconds % 3600) / 60);
    return `${Math.floor(seconds / 3600)} h${minutes ? ` ${minutes} min` : ""}`;
  }
  const days = Math.floor(seconds / 86_400);
  return `${days} day${days === 1 ? "" : "s"}`;
}

export function DashboardInstances({ instances }: { instances: NameserverInstanceStatus[] }) {
  if (instances.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400" role="status">
        No nameserver has reported in the last {formatDuration(INSTANCES_LISTED_FOR_SECONDS)}: nothing answers DNS queries.
      </p>
    );
  }
  return (
    <>
      <Table
        label="Nameserver instances"
        head={
          <>
            <Th>Instance</Th>
            <Th>Status</Th>
            <Th>Last heartbeat</Th>
            <Th>Started</Th>
            <Th>Zones behind</Th>
            <Th>Oldest lag</Th>
          </>
        }
      >
        {instances.map((i) => (
          <tr key={i.id} data-testid="nameserver-instance">
            <td className="px-3 py-2 font-mono text-xs break-all">{i.id}</td>
            <td className="px-3 py-2">{i.alive ? <Badge tone="success">Running</Badge> : <Badge tone="neutral">Gone</Badge>}</td>
            <td className="px-3 py-2 tabular-nums">{formatDuration(i.heartbeatAgeSeconds)} ago</td>
            <td className="px-3 py-2">
              <RelativeTime date={i.startedAt.toISOString()} />
            </td>
            <td className="px-3 py-2 tabular-nums">
              {i.zonesBehind === null ? "—" : i.zonesBehind === 0 ? "up to date" : <Badge tone="warning">{i.zonesBehind}</Badge>}
            </td>
            <td className="px-3 py-2 tabular-nums">{i.lagSeconds === null ? "—" : i.lagSeconds === 0 ? "—" : formatDuration(i.lagSeconds)}</td>
          </tr>
        ))}
      </Table>
      <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
        A running instance reports every few seconds; one silent for {NAMESERVER_ALIVE_SECONDS} s is gone, and changes no longer wait for it. Instances
        silent for {formatDuration(INSTANCES_LISTED_FOR_SECONDS)} are not listed.
      </p>
    </>
  );
}
