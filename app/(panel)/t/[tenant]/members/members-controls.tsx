"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button, Notice, SelectField, TextField } from "@/app/_components/ui.tsx";
import { changeRoleAction, inviteMemberAction, removeMemberAction, revokeInvitationAction } from "./actions.ts";

const ROLES = ["owner", "admin", "editor", "viewer"] as const;

export function MemberRowControls({
  tenant,
  member,
  canChange,
  canGrantOwner,
}: {
  tenant: string;
  member: { membershipId: string; email: string; role: string; isYou: boolean };
  canChange: boolean;
  canGrantOwner: boolean;
}) {
  const [error, setError] = useState("");
  const [confirming, setConfirming] = useState(false);
  // The choice is applied with Save: a select fires on every arrow key in some browsers.
  const [chosen, setChosen] = useState(member.role);
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  const roles = ROLES.filter((r) => canGrantOwner || r !== "owner" || member.role === "owner");

  const saveRole = () =>
    startTransition(async () => {
      const state = await changeRoleAction(tenant, member.membershipId, chosen);
      if (state.ok) setError("");
      else {
        setError(state.fieldErrors.role ?? state.message);
        setChosen(member.role);
      }
    });
  const remove = () =>
    startTransition(async () => {
      const state = await removeMemberAction(tenant, member.membershipId);
      setConfirming(false);
      if (!state.ok) return setError(state.message);
      if (member.isYou) router.push("/");
    });

  return (
    <>
      <td className="px-3 py-2">
        {canChange ? (
          <div className="flex items-end gap-2">
            <SelectField id={`role-${member.membershipId}`} label={<span className="sr-only">Role of {member.email}</span>} value={chosen} disabled={pending} onChange={(e) => setChosen(e.target.value)} className="w-32">
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </SelectField>
            {chosen !== member.role && (
              <>
                <Button onClick={saveRole} disabled={pending} aria-label={`Save role of ${member.email}`}>
                  Save
                </Button>
                <Button variant="secondary" onClick={() => setChosen(member.role)}>
                  Cancel
                </Button>
              </>
            )}
          </div>
        ) : (
          <span className="capitalize">{member.role}</span>
        )}
        {error && (
          <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
      </td>
      <td className="px-3 py-2 text-right whitespace-nowrap">
        {(canChange || member.isYou) &&
          (confirming ? (
            <span className="inline-flex items-center gap-2">
              <span className="text-xs">{member.isYou ? "Leave this tenant?" : `Remove ${member.email}?`}</span>
              <Button variant="danger" disabled={pending} onClick={remove} autoFocus>
                {member.isYou ? "Leave" : "Remove"}
              </Button>
              <Button variant="secondary" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </span>
          ) : (
            <Button variant="ghost" onClick={() => setConfirming(true)} aria-label={member.isYou ? "Leave this tenant" : `Remove ${member.email}`}>
              {member.isYou ? "Leave" : "Remove"}
            </Button>
          ))}
      </td>
    </>
  );
}

export function InvitationRow({ tenant, invitation, canRevoke }: { tenant: string; invitation: { id: string; email: string; role: string; expiresAt: string }; canRevoke: boolean }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState("");
  return (
    <li className="flex flex-wrap items-center justify-between gap-2 py-2">
      <span>
        <strong>{invitation.email}</strong> as {invitation.role}, expires {new Date(invitation.expiresAt).toLocaleDateString()}
        {error && <span className="ml-2 text-red-600 dark:text-red-400">{error}</span>}
      </span>
      {canRevoke && (
        <Button
          variant="ghost"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const state = await revokeInvitationAction(tenant, invitation.id);
              if (!state.ok) setError(state.message);
            })
          }
        >
          Revoke
        </Button>
      )}
    </li>
  );
}

export function InviteForm({ tenant, canInviteOwner }: { tenant: string; canInviteOwner: boolean }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("editor");
  const [result, setResult] = useState<{ url: string; email: string } | null>(null);
  const [errors, setErrors] = useState<{ message?: string; fields: Record<string, string> }>({ fields: {} });
  const [copied, setCopied] = useState("");
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const state = await inviteMemberAction(tenant, { email, role });
      if (state.ok) {
        setResult({ url: state.result.url, email });
        setErrors({ fields: {} });
        setEmail("");
        setCopied("");
      } else {
        setResult(null);
        setErrors({ message: Object.keys(state.fieldErrors).length ? undefined : state.message, fields: state.fieldErrors });
      }
    });
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Creates a one-time link (valid 7 days) that lets them set a password and join. Send it to them yourself; it is also written to the server log.
      </p>
      {errors.message && <Notice tone="error">{errors.message}</Notice>}
      {result && (
        <Notice tone="success" testId="invite-link">
          Invitation for {result.email}: <code className="break-all">{result.url}</code>{" "}
          <button
            type="button"
            className="underline"
            onClick={async () => {
              // The clipboard API needs a secure context (https or localhost); say so otherwise.
              const ok = await (navigator.clipboard?.writeText(result.url).then(() => true, () => false) ?? Promise.resolve(false));
              setCopied(ok ? "Copied" : "Select the link and copy it");
            }}
          >
            {copied || "Copy"}
          </button>
        </Notice>
      )}
      <div className="flex flex-wrap gap-3">
        <TextField id="invite-email" label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.fields.email} className="min-w-64 flex-1" />
        <SelectField id="invite-role" label="Role" value={role} onChange={(e) => setRole(e.target.value)} error={errors.fields.role} className="w-32">
          {ROLES.filter((r) => canInviteOwner || r !== "owner").map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Creating link…" : "Create invitation link"}
      </Button>
    </form>
  );
}
