import { requirePrincipal } from "@/lib/auth/session.ts";
import { Card, PageTitle } from "@/app/_components/ui.tsx";
import { ChangePasswordForm } from "./change-password-form.tsx";

export const metadata = { title: "Your account · DNS panel" };

export default async function AccountPage() {
  const principal = await requirePrincipal();
  return (
    <>
      <PageTitle sub={principal.email}>Your account</PageTitle>
      <Card title="Change password" className="max-w-md">
        <ChangePasswordForm />
      </Card>
    </>
  );
}
