"use client";
// Stop hosting a domain: the zone, its records and history are deleted and our nameservers
// stop answering for it. The user types the domain's name to confirm.
import { useState, useTransition } from "react";
import { Button, Card, Notice, TextField } from "@/app/_components/ui.tsx";
import { removeDomainAction } from "../actions.ts";

export function RemoveDomain({ tenant, domain, registered }: { tenant: string; domain: string; registered: boolean }) {
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<{ field?: string; message?: string }>({});
  const [pending, startTransition] = useTransition();
  return (
    <Card title={registered ? "Delete this zone" : "Stop hosting this domain"} className="mt-8 border-red-200 dark:border-red-900">
      <form
        className="space-y-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          startTransition(async () => {
            const state = await removeDomainAction(tenant, domain, typed);
            if (state.ok) window.location.assign(registered ? `/t/${tenant}/domains/${domain}` : `/t/${tenant}/domains`);
            else setError({ field: state.fieldErrors.confirmation, message: state.fieldErrors.confirmation ? undefined : state.message });
          });
        }}
      >
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Deletes the zone with all its records and its change history; our nameservers stop answering for {domain} at once. Resolvers may keep
          cached answers until their TTLs run out. This cannot be undone.
          {registered ? " The registration stays; this is only possible while the domain is delegated to other nameservers." : ""}
        </p>
        {error.message && <Notice tone="error">{error.message}</Notice>}
        <TextField id="confirm-domain" label={`Type ${domain} to confirm`} value={typed} onChange={(e) => setTyped(e.target.value)} error={error.field} autoComplete="off" spellCheck={false} />
        <Button type="submit" variant="danger" disabled={pending || typed.trim().toLowerCase() !== domain}>
          {pending ? "Removing…" : "Stop hosting and delete the zone"}
        </Button>
      </form>
    </Card>
  );
}
