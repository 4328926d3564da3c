"use client";
import { useState, useTransition } from "react";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy.ts";
import { Button, Notice, TextField } from "@/app/_components/ui.tsx";
import { changePasswordAction } from "./actions.ts";

export function ChangePasswordForm() {
  const [values, setValues] = useState({ currentPassword: "", newPassword: "", confirm: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const set = (key: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [key]: e.target.value }));

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (values.newPassword !== values.confirm) {
      setErrors({ confirm: "the two new passwords differ" });
      return;
    }
    startTransition(async () => {
      const state = await changePasswordAction({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      if (state.ok) {
        setErrors({});
        setValues({ currentPassword: "", newPassword: "", confirm: "" });
        setMessage({ tone: "success", text: "Password changed. You stay signed in here; your other sessions were signed out." });
      } else {
        setErrors(state.fieldErrors);
        setMessage(Object.keys(state.fieldErrors).length ? null : { tone: "error", text: state.message });
      }
    });
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <TextField id="currentPassword" label="Current password" type="password" autoComplete="current-password" value={values.currentPassword} onChange={set("currentPassword")} error={errors.currentPassword} />
      <TextField
        id="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        value={values.newPassword}
        onChange={set("newPassword")}
        error={errors.newPassword}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
      />
      <TextField id="confirm" label="New password again" type="password" autoComplete="new-password" value={values.confirm} onChange={set("confirm")} error={errors.confirm} />
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
