// The tenant's team: members with their roles, pending invitations, and inviting someone.
import { requirePrincipal } from "@/lib/auth/session.ts";
import { grantAllows, ROLE_DESCRIPTIONS, ROLES } from "@/lib/permissions.ts";
import { listMembers } from "@/lib/tenancy/members.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Card, PageTitle, Table, Th } from "@/app/_components/ui.tsx";
import { InvitationRow, InviteForm, MemberRowControls } from "./members-controls.tsx";

export default async function MembersPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const principal = await requirePrincipal();
  const { tenant, grant, members, invitations } = await orNotFound(listMembers(principal, slug));
  const canManage = grantAllows(grant, "member:manage", tenant);
  const canManageOwners = grantAllows(grant, "owner:manage", tenant);
  return (
    <>
      <PageTitle sub="Owners and admins invite people and change roles; the last owner cannot be removed or demoted.">Members</PageTitle>
      <dl className="mb-4 grid gap-1 text-sm sm:grid-cols-2">
        {ROLES.map((role) => (
          <div key={role} className="flex gap-2">
            <dt className="w-16 font-medium capitalize">{role}</dt>
            <dd className="text-slate-600 dark:text-slate-400">{ROLE_DESCRIPTIONS[role]}</dd>
          </div>
        ))}
      </dl>
      <Table
        label="Members"
        head={
          <>
            <Th>Member</Th>
            <Th>Role</Th>
            <Th><span className="sr-only">Actions</span></Th>
          </>
        }
      >
        {members.map((m) => (
          <tr key={m.membershipId} data-testid="member-row">
            <td className="px-3 py-2">
              <div className="font-medium">
                {m.email} {m.isYou && <span className="text-xs text-slate-500">(you)</span>}
              </div>
              {m.name && <div className="text-xs text-slate-500">{m.name}</div>}
            </td>
            <MemberRowControls
              tenant={tenant.slug}
              member={{ membershipId: m.membershipId, email: m.email, role: m.role, isYou: m.isYou }}
              canChange={canManage && (m.role !== "owner" || canManageOwners)}
              canGrantOwner={canManageOwners}
            />
          </tr>
        ))}
      </Table>
      {invitations.length > 0 && (
        <Card title="Pending invitations" className="mt-6">
          <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800">
            {invitations.map((i) => (
              <InvitationRow key={i.id} tenant={tenant.slug} invitation={{ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString() }} canRevoke={canManage && (i.role !== "owner" || canManageOwners)} />
            ))}
          </ul>
        </Card>
      )}
      {canManage && (
        <Card title="Invite someone" className="mt-6 max-w-xl">
          <InviteForm tenant={tenant.slug} canInviteOwner={canManageOwners} />
        </Card>
      )}
    </>
  );
}
