"use client";
import { useState, useTransition } from "react";
import { signIn, signOut } from "next-auth/react";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy.ts";
import { Button, Notice, TextField } from "@/app/_components/ui.tsx";
import { acceptAsUserAction, acceptWithPasswordAction } from "./actions.ts";

export function AcceptWithPassword({ token, email }: { token: string; email: string }) {
  const [values, setValues] = useState({ name: "", password: "", confirm: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState("");
  const [pending, startTransition] = useTransition();
  const set = (key: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [key]: e.target.value }));

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (values.password !== values.confirm) return setErrors({ confirm: "the two passwords differ" });
    startTransition(async () => {
      const state = await acceptWithPasswordAction(token, { name: values.name, password: values.password });
      if (!state.ok) {
        setErrors(state.fieldErrors);
        setMessage(Object.keys(state.fieldErrors).length ? "" : state.message);
        return;
      }
      const signedIn = await signIn("credentials", { redirect: false, email, password: values.password });
      window.location.assign(signedIn?.ok ? `/t/${state.result.tenantSlug}/domains` : `/login?email=${encodeURIComponent(email)}`);
    });
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      {message && <Notice tone="error">{message}</Notice>}
      <TextField id="name" label="Your name" autoComplete="name" value={values.name} onChange={set("name")} error={errors.name} />
      <TextField id="password" label="Choose a password" type="password" autoComplete="new-password" value={values.password} onChange={set("password")} error={errors.password} hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} />
      <TextField id="confirm" label="Password again" type="password" autoComplete="new-password" value={values.confirm} onChange={set("confirm")} error={errors.confirm} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Joining…" : "Join"}
      </Button>
    </form>
  );
}

export function AcceptAsUser({ token }: { token: string }) {
  const [message, setMessage] = useState("");
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-3">
      {message && <Notice tone="error">{message}</Notice>}
      <Button
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const state = await acceptAsUserAction(token);
            if (state.ok) window.location.assign(`/t/${state.result.tenantSlug}/domains`);
            else setMessage(state.message);
          })
        }
      >
        {pending ? "Joining…" : "Accept and join"}
      </Button>
    </div>
  );
}

/** Signed in as someone else: sign out first, then sign in as the invited user. */
export function SignInAsOther({ token, current, invited }: { token: string; current: string; invited: string }) {
  const back = `/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}&email=${encodeURIComponent(invited)}`;
  return (
    <div className="space-y-3">
      <Notice tone="info">
        This invitation is for {invited}, and you are signed in as {current}. Sign out, then sign in as {invited} to accept it.
      </Notice>
      <Button onClick={() => signOut({ callbackUrl: back })}>Sign out and continue as {invited}</Button>
    </div>
  );
}
