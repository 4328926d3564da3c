// A tenant's status as a badge: active, or suspended with its kind (billing keeps serving its
// domains, abuse does not), the reason on hover.
import { Badge } from "@/app/_components/ui.tsx";

export function TenantStatusBadge({ status, kind, reason }: { status: string; kind: string | null; reason?: string | null }) {
  if (status !== "suspended") return <Badge tone="success">active</Badge>;
  return (
    <span title={reason ?? undefined}>
      <Badge tone="warning">suspended{kind ? ` · ${kind}` : ""}</Badge>
    </span>
  );
}
