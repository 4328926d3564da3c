// The invitation link: join a tenant, setting a password if the email has no account yet.
import Link from "next/link";
import { currentPrincipal } from "@/lib/auth/session.ts";
import { describeInvitation } from "@/lib/tenancy/members.ts";
import { Notice } from "@/app/_components/ui.tsx";
import { AcceptAsUser, AcceptWithPassword, SignInAsOther } from "./accept-forms.tsx";

export const metadata = { title: "Invitation · DNS panel" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await describeInvitation(token);
  const principal = await currentPrincipal();
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-12">
      <h1 className="mb-4 text-2xl font-semibold">Invitation</h1>
      {invitation.state === "unknown" && <Notice tone="error">This invitation link is not valid. Check that you copied all of it.</Notice>}
      {invitation.state === "expired" && <Notice tone="error">This invitation has expired. Ask for a new one.</Notice>}
      {invitation.state === "used" && (
        <Notice tone="info">
          This invitation was already used. <Link href="/login" className="underline">Sign in</Link>
        </Notice>
      )}
      {invitation.state === "valid" && (
        <>
          <p className="mb-4 text-slate-700 dark:text-slate-300">
            You are invited to join <strong>{invitation.tenantName}</strong> as <strong>{invitation.role}</strong>, as <strong>{invitation.email}</strong>.
          </p>
          {invitation.hasAccount ? (
            principal?.email === invitation.email ? (
              <AcceptAsUser token={token} />
            ) : principal ? (
              <SignInAsOther token={token} current={principal.email} invited={invitation.email!} />
            ) : (
              <Notice tone="info">
                {invitation.email} already has an account.{" "}
                <Link href={`/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}&email=${encodeURIComponent(invitation.email)}`} className="underline">
                  Sign in as {invitation.email}
                </Link>{" "}
                to accept.
              </Notice>
            )
          ) : (
            <AcceptWithPassword token={token} email={invitation.email!} />
          )}
        </>
      )}
    </main>
  );
}
