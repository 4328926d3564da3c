import { redirect } from "next/navigation";
import { currentPrincipal } from "@/lib/auth/session.ts";
import { safeReturnPath } from "@/app/_lib/safe-return.ts";
import { LoginForm } from "./login-form.tsx";

export const metadata = { title: "Sign in · DNS panel" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const returnTo = safeReturnPath(params.callbackUrl);
  if (await currentPrincipal()) redirect(returnTo);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-12">
      <h1 className="mb-1 text-2xl font-semibold">Sign in</h1>
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">Domains, delegation and DNS records in one place.</p>
      <LoginForm returnTo={returnTo} initialEmail={typeof params.email === "string" ? params.email : ""} />
    </main>
  );
}
