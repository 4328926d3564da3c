"use client";
// Creating a tenant (/admin/tenants): its name, short name and first owner, who gets an invitation link.
import Link from "next/link";
import { useState, useTransition } from "react";
import { Button, Notice, TextField } from "@/app/_components/ui.tsx";
import { createTenantAction } from "./actions.ts";

export function CreateTenantForm() {
  const [values, setValues] = useState({ slug: "", name: "", ownerEmail: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: React.ReactNode } | null>(null);
  const [pending, startTransition] = useTransition();
  const set = (key: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [key]: e.target.value }));

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const state = await createTenantAction(values);
      if (state.ok) {
        setErrors({});
        setValues({ slug: "", name: "", ownerEmail: "" });
        setMessage({
          tone: "success",
          text: (
            <>
              Created <Link className="underline" href={`/admin/tenants/${state.result.slug}`}>{state.result.slug}</Link>. Owner invitation:{" "}
              <code className="break-all">{state.result.url}</code>
            </>
          ),
        });
      } else {
        setErrors(state.fieldErrors);
        setMessage(Object.keys(state.fieldErrors).length ? null : { tone: "error", text: state.message });
      }
    });
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <TextField id="tenant-name" label="Name" value={values.name} onChange={set("name")} error={errors.name} />
      <TextField id="tenant-slug" label="Short name (in URLs)" value={values.slug} onChange={set("slug")} error={errors.slug} placeholder="acme" />
      <TextField id="tenant-owner" label="Owner's email" type="email" value={values.ownerEmail} onChange={set("ownerEmail")} error={errors.ownerEmail} hint="They get an invitation link to set a password." />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create tenant"}
      </Button>
    </form>
  );
}
