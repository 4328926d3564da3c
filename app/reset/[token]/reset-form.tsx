"use client";
import { useState, useTransition } from "react";
import { signIn } from "next-auth/react";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy.ts";
import { Button, Notice, TextField } from "@/app/_components/ui.tsx";
import { resetPasswordAction } from "./actions.ts";

export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const [values, setValues] = useState({ password: "", confirm: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [done, setDone] = useState(false);
  const [pending, startTransition] = useTransition();
  const set = (key: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [key]: e.target.value }));

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (values.password !== values.confirm) return setErrors({ confirm: "the two passwords differ" });
    startTransition(async () => {
      const state = await resetPasswordAction(token, { password: values.password });
      if (!state.ok) {
        setErrors(state.fieldErrors);
        setMessage(Object.keys(state.fieldErrors).length ? null : { tone: "error", text: state.message });
        return;
      }
      setErrors({});
      setDone(true);
      if (state.result.disabled) {
        // Signing in would be refused: say why instead of "Email or password is incorrect".
        return setMessage({ tone: "success", text: "Your new password is set. Your account is disabled: you can sign in once a platform admin enables it again." });
      }
      const signedIn = await signIn("credentials", { redirect: false, email, password: values.password });
      window.location.assign(signedIn?.ok ? "/" : `/login?email=${encodeURIComponent(email)}`);
    });
  }

  if (done && message) return <Notice tone={message.tone}>{message.text}</Notice>;
  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <input type="email" name="email" autoComplete="username" value={email} readOnly hidden />
      <TextField id="password" label="New password" type="password" autoComplete="new-password" value={values.password} onChange={set("password")} error={errors.password} hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} autoFocus />
      <TextField id="confirm" label="New password again" type="password" autoComplete="new-password" value={values.confirm} onChange={set("confirm")} error={errors.confirm} />
      <Button type="submit" disabled={pending || done} className="w-full">
        {pending || done ? "Setting password…" : "Set password and sign in"}
      </Button>
    </form>
  );
}
