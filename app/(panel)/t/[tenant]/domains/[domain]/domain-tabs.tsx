// The tabs of a domain: what it is (overview), what it answers (records), who answers
// (nameservers), who asks (traffic), and what changed (history).
import { Tabs } from "@/app/_components/tabs.tsx";

export function DomainTabs({ base }: { base: string }) {
  return (
    <Tabs
      label="Domain"
      className="mb-4 overflow-x-auto border-b border-slate-200 dark:border-slate-800"
      tabs={[
        { href: base, label: "Overview", exact: true },
        { href: `${base}/records`, label: "Records" },
        { href: `${base}/nameservers`, label: "Nameservers" },
        { href: `${base}/traffic`, label: "Traffic" },
        { href: `${base}/history`, label: "History" },
      ]}
    />
  );
}
