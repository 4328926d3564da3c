// The platform's dashboard. Being built (issue 8).
import Link from "next/link";
import { PageTitle } from "@/app/_components/ui.tsx";

export const metadata = { title: "Platform admin · DNS panel" };

export default function AdminDashboardPage() {
  return (
    <>
      <PageTitle>Dashboard</PageTitle>
      <Link href="/admin/tenants">Tenants</Link>
    </>
  );
}
