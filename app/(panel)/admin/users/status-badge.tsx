// A user's status as a badge: what they can do now.
import type { UserStatus } from "@/lib/users/schemas.ts";
import { Badge } from "@/app/_components/ui.tsx";

const TONE = { active: "success", disabled: "warning", invited: "neutral" } as const;
const LABEL: Record<UserStatus, string> = { active: "active", disabled: "disabled", invited: "invited, no password yet" };

export function UserStatusBadge({ status }: { status: UserStatus }) {
  return <Badge tone={TONE[status]}>{LABEL[status]}</Badge>;
}
