// The password reset link (made by a platform admin or `npm run cli -- user reset`): set a new
// password, then sign in. Public, like /invite/[token]: the token is the key. Every link that
// cannot be used (used, expired, replaced, unknown) gets the same message.
import Link from "next/link";
import { describePasswordReset, RESET_LINK_INVALID } from "@/lib/users/users.ts";
import { Notice } from "@/app/_components/ui.tsx";
import { ResetPasswordForm } from "./reset-form.tsx";

export const metadata = { title: "Set a new password · DNS panel" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const reset = await describePasswordReset(token);
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-12">
      <h1 className="mb-4 text-2xl font-semibold">Set a new password</h1>
      {reset.state === "valid" ? (
        <>
          <p className="mb-4 text-slate-700 dark:text-slate-300">
            For <strong>{reset.email}</strong>. Setting it signs you out everywhere else; this link then stops working.
          </p>
          {reset.disabled && (
            <Notice tone="warning" className="mb-4">
              This account is disabled: you can set its password, and sign in once a platform admin enables it again.
            </Notice>
          )}
          <ResetPasswordForm token={token} email={reset.email!} />
        </>
      ) : (
        <Notice tone="error" testId="reset-link-invalid">
          {RESET_LINK_INVALID}{" "}
          <Link href="/login" className="underline">
            Sign in
          </Link>
        </Notice>
      )}
    </main>
  );
}
