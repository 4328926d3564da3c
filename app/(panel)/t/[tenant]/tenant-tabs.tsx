"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/app/_components/ui.tsx";

export function TenantTabs({ slug }: { slug: string }) {
  const pathname = usePathname();
  const tabs = [
    { href: `/t/${slug}/domains`, label: "Domains" },
    { href: `/t/${slug}/members`, label: "Members" },
  ];
  return (
    <nav aria-label="Tenant" className="flex gap-1">
      {tabs.map((tab) => {
        const active = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? "page" : undefined}
            className={cx(
              "-mb-px border-b-2 px-3 py-2 text-sm",
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
