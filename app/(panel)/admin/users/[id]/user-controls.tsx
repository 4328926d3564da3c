"use client";
// The controls of one user: disable or enable, a one-time password reset link (shown once),
// grant or revoke platform admin. Drastic steps ask to confirm; refusals (the last platform
// admin...) are shown as the server words them.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button, Notice } from "@/app/_components/ui.tsx";
import { createPasswordResetAction, disableUserAction, enableUserAction, setPlatformAdminAction } from "../actions.ts";

type Confirming = "disable" | "revoke" | null;

export function UserControls({
  email,
  disabled,
  isPlatformAdmin,
  isYou,
  resetLifetimeHours,
}: {
  email: string;
  disabled: boolean;
  isPlatformAdmin: boolean;
  isYou: boolean;
  resetLifetimeHours: number;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [copied, setCopied] = useState("");

  /** Runs an action; `leaveTo`: where to go after it succeeded, when this page is no longer for us. */
  function run(work: () => Promise<{ ok: true; result: unknown } | { ok: false; message: string }>, done: string, leaveTo?: string) {
    startTransition(async () => {
      const state = await work();
      setConfirming(null);
      if (!state.ok) return setMessage({ tone: "error", text: state.message });
      setMessage({ tone: "success", text: done });
      if (leaveTo) return window.location.assign(leaveTo);
      router.refresh();
    });
  }

  function createLink() {
    startTransition(async () => {
      const state = await createPasswordResetAction(email);
      if (!state.ok) return setMessage({ tone: "error", text: state.message });
      setMessage(null);
      setCopied("");
      setLink(state.result);
      router.refresh();
    });
  }

  return (
    <div className="space-y-4 text-sm">
      {message && <Notice tone={message.tone}>{message.text}</Notice>}

      <section aria-labelledby="user-access" className="space-y-2">
        <h3 id="user-access" className="font-medium">
          Access
        </h3>
        {disabled ? (
          <>
            <p className="text-slate-600 dark:text-slate-400">{email} cannot sign in. Enabling lets them sign in again with their password.</p>
            <Button disabled={pending} onClick={() => run(() => enableUserAction(email), `Enabled ${email}.`)}>
              Enable user
            </Button>
          </>
        ) : confirming === "disable" ? (
          <div className="flex flex-wrap items-center gap-2">
            <span>
              Disable {email}
              {isYou ? " (yourself)" : ""}? Every session ends at once and sign-in is refused until someone enables them again.
            </span>
            <Button variant="danger" disabled={pending} autoFocus onClick={() => run(() => disableUserAction(email), `Disabled ${email}; their sessions ended.`, isYou ? "/login" : undefined)}>
              Disable
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
          </div>
        ) : (
          <Button variant="secondary" disabled={pending} onClick={() => setConfirming("disable")}>
            Disable user
          </Button>
        )}
      </section>

      <section aria-labelledby="user-password" className="space-y-2">
        <h3 id="user-password" className="font-medium">
          Password
        </h3>
        <p className="text-slate-600 dark:text-slate-400">
          A one-time link to set a new password, valid {resetLifetimeHours} hours; an earlier unused link stops working. Send it to them yourself: it is
          shown only now (and written to the server log). Using it ends all their sessions.
        </p>
        {link && (
          <Notice tone="success" testId="reset-link">
            Password reset link for {email}: <code className="break-all">{link.url}</code>{" "}
            <button
              type="button"
              className="underline"
              onClick={async () => {
                // The clipboard API needs a secure context (https or localhost); say so otherwise.
                const ok = await (navigator.clipboard?.writeText(link.url).then(() => true, () => false) ?? Promise.resolve(false));
                setCopied(ok ? "Copied" : "Select the link and copy it");
              }}
            >
              {copied || "Copy"}
            </button>
          </Notice>
        )}
        <Button variant="secondary" disabled={pending} onClick={createLink}>
          Create password reset link
        </Button>
      </section>

      <section aria-labelledby="user-platform-admin" className="space-y-2">
        <h3 id="user-platform-admin" className="font-medium">
          Platform admin
        </h3>
        {!isPlatformAdmin ? (
          <>
            <p className="text-slate-600 dark:text-slate-400">Platform admins run the whole platform: every tenant, every user, this area.</p>
            <Button variant="secondary" disabled={pending} onClick={() => run(() => setPlatformAdminAction(email, true), `${email} is now a platform admin.`)}>
              Grant platform admin
            </Button>
          </>
        ) : confirming === "revoke" ? (
          <div className="flex flex-wrap items-center gap-2">
            <span>
              Revoke platform admin from {email}
              {isYou ? " (yourself: you lose access to this area)" : ""}?
            </span>
            <Button variant="danger" disabled={pending} autoFocus onClick={() => run(() => setPlatformAdminAction(email, false), `${email} is no longer a platform admin.`, isYou ? "/" : undefined)}>
              Revoke
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
          </div>
        ) : (
          <Button variant="secondary" disabled={pending} onClick={() => setConfirming("revoke")}>
            Revoke platform admin
          </Button>
        )}
      </section>
    </div>
  );
}
