// One user, for platform admins: who they are, their tenants, and the controls (disable or
// enable, a password reset link, platform admin).
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { getUser } from "@/lib/users/users.ts";
import { PASSWORD_RESET_LIFETIME_HOURS } from "@/lib/users/password-resets.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { RelativeTime } from "@/app/_components/relative-time.tsx";
import { Badge, Card, PageTitle } from "@/app/_components/ui.tsx";
import { UserStatusBadge } from "../status-badge.tsx";
import { UserControls } from "./user-controls.tsx";

export const metadata = { title: "User · Platform admin · DNS panel" };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePrincipal();
  const { user, liveSessions, pendingResetExpiresAt, isYou } = await orNotFound(getUser(principal, id));
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/users" className="text-blue-700 hover:underline dark:text-blue-300">
          ← Users
        </Link>
      </p>
      <PageTitle sub={user.name || undefined}>
        {user.email} {isYou && <span className="text-base font-normal text-slate-500">(you)</span>}
      </PageTitle>
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Account">
          <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-2 text-sm">
            <dt className="text-slate-500">Status</dt>
            <dd data-testid="user-status">
              <UserStatusBadge status={user.status} />
              {user.disabledAt && (
                <span className="ml-2 text-xs text-slate-500">
                  since <RelativeTime date={new Date(user.disabledAt).toISOString()} absolute />
                </span>
              )}
            </dd>
            <dt className="text-slate-500">Platform admin</dt>
            <dd data-testid="user-platform-admin">{user.isPlatformAdmin ? <Badge tone="info">platform admin</Badge> : "no"}</dd>
            <dt className="text-slate-500">Last sign-in</dt>
            <dd>{user.lastSignInAt ? <RelativeTime date={new Date(user.lastSignInAt).toISOString()} absolute /> : "never"}</dd>
            <dt className="text-slate-500">Signed-in sessions</dt>
            <dd>{liveSessions}</dd>
            <dt className="text-slate-500">Created</dt>
            <dd>
              <RelativeTime date={new Date(user.createdAt).toISOString()} absolute />
            </dd>
            <dt className="text-slate-500">Reset link</dt>
            <dd>
              {pendingResetExpiresAt ? (
                <>
                  one unused, valid until <RelativeTime date={pendingResetExpiresAt.toISOString()} absolute />
                </>
              ) : (
                "none pending"
              )}
            </dd>
          </dl>
        </Card>
        <Card title="Tenants and roles">
          {user.tenants.length === 0 ? (
            <p className="text-sm text-slate-500">Not a member of any tenant.</p>
          ) : (
            <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800">
              {user.tenants.map((t) => (
                <li key={t.slug} className="flex justify-between py-1.5">
                  <Link href={`/t/${t.slug}/members`} className="text-blue-700 hover:underline dark:text-blue-300">
                    {t.name}
                  </Link>
                  <span className="capitalize">{t.role}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <Card title="Manage" className="mt-4">
        <UserControls
          email={user.email}
          disabled={user.status === "disabled"}
          isPlatformAdmin={user.isPlatformAdmin}
          isYou={isYou}
          resetLifetimeHours={PASSWORD_RESET_LIFETIME_HOURS}
        />
      </Card>
    </>
  );
}
