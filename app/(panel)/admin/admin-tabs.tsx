// The platform admin area's tabs.
import { Tabs } from "@/app/_components/tabs.tsx";

export function AdminTabs() {
  return (
    <Tabs
      label="Platform admin"
      tabs={[
        { href: "/admin", label: "Dashboard", exact: true },
        { href: "/admin/tenants", label: "Tenants" },
        { href: "/admin/users", label: "Users" },
        { href: "/admin/audit", label: "Audit log" },
      ]}
    />
  );
}
