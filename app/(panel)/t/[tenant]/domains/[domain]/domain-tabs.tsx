"use client";
// The tabs of a domain: what it is (overview), what it answers (records), who answers
// (nameservers), and what changed (history).
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/app/_components/ui.tsx";

export function DomainTabs({ base }: { base: string }) {
  const pathname = usePathname();
  const tabs = [
    { href: base, label: "Overview", exact: true },
    { href: `${base}/records`, label: "Records" },
    { href: `${base}/nameservers`, label: "Nameservers" },
    { href: `${base}/history`, label: "History" },
  ];
  return (
    <nav aria-label="Domain" className="mb-4 flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-800">
      {tabs.map((tab) => {
        const active = tab.exact ? pathname === tab.href : pathname === tab.href || pathname.startsWith(`${tab.href}/`);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? "page" : undefined}
            className={cx(
              "-mb-px border-b-2 px-3 py-2 text-sm whitespace-nowrap",
              active ? "border-blue-600 font-medium text-blue-700 dark:text-blue-300" : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
