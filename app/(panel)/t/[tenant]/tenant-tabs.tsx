// The tenant's tabs: its domains and its team.
import { Tabs } from "@/app/_components/tabs.tsx";

export function TenantTabs({ slug }: { slug: string }) {
  return (
    <Tabs
      label="Tenant"
      tabs={[
        { href: `/t/${slug}/domains`, label: "Domains" },
        { href: `/t/${slug}/members`, label: "Members" },
        { href: `/t/${slug}/settings`, label: "Settings" },
      ]}
    />
  );
}
