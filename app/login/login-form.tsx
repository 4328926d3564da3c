"use client";
import { useState } from "react";
import { signIn } from "next-auth/react";
import { Button, Notice, TextField } from "@/app/_components/ui.tsx";

export function LoginForm({ returnTo, initialEmail }: { returnTo: string; initialEmail: string }) {
  const [error, setError] = useState("");
  const [pending, setPending] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError("");
    const result = await signIn("credentials", { redirect: false, email: form.get("email"), password: form.get("password") });
    if (!result || result.error) {
      // The server's message: wrong credentials (never which part) or the rate limit.
      setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Email or password is incorrect.");
      setPending(false);
      return;
    }
    // A full navigation, so every server component renders for the signed-in user.
    window.location.assign(returnTo);
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {error && (
        <Notice tone="error" testId="sign-in-error">
          {error}
        </Notice>
      )}
      <TextField id="email" label="Email" type="email" autoComplete="username" required defaultValue={initialEmail} autoFocus={!initialEmail} />
      <TextField id="password" label="Password" type="password" autoComplete="current-password" required autoFocus={!!initialEmail} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
