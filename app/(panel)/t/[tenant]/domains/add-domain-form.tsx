"use client";
import { useState, useTransition } from "react";
import { Button, Notice, TextField } from "@/app/_components/ui.tsx";
import { addDomainAction } from "./actions.ts";

export function AddDomainForm({ tenant, nameservers }: { tenant: string; nameservers: string[] }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const state = await addDomainAction(tenant, name);
      if (state.ok) {
        setDone(`${state.result.name} is now hosted on our nameservers (serial ${state.result.serial}). Now set its nameservers at its registrar to ${nameservers.join(", ")}.`);
        setError(null);
        setName("");
      } else {
        setDone(null);
        setError({ message: state.message, field: state.fieldErrors.name });
      }
    });
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Creates the zone with its SOA and our NS records, served by our nameservers at once. Its records are used once its registrar delegates
        it to our nameservers: set them there to
      </p>
      <ul className="font-mono text-sm">
        {nameservers.map((ns) => (
          <li key={ns}>{ns}</li>
        ))}
      </ul>
      <p className="text-sm text-slate-600 dark:text-slate-400">The domain&apos;s page checks the delegation and tells you when the world asks us.</p>
      {done && <Notice tone="success">{done}</Notice>}
      {error && !error.field && <Notice tone="error">{error.message}</Notice>}
      <TextField id="domain-name" label="Domain name" placeholder="example.com" value={name} onChange={(e) => setName(e.target.value)} error={error?.field} required />
      <Button type="submit" disabled={pending || !name.trim()}>
        {pending ? "Adding…" : "Add domain"}
      </Button>
    </form>
  );
}
