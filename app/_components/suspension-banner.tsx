// The banner a suspended tenant's members see on every page of it (and on the home page): why,
// what still works, and whom to contact. The rules themselves are in lib/tenancy/suspension.ts.
import { supportContact } from "@/lib/tenancy/suspension.ts";
import { Notice } from "@/app/_components/ui.tsx";

export interface SuspendedTenantView {
  name: string;
  suspensionKind: "billing" | "abuse" | null;
  suspensionReason: string | null;
}

/** SUPPORT_CONTACT as a link when it is an email address or a URL. */
function Contact() {
  const contact = supportContact();
  if (/^[^\s@]+@[^\s@]+$/.test(contact)) return <a className="font-medium underline" href={`mailto:${contact}`}>{contact}</a>;
  if (/^https?:\/\/\S+$/.test(contact)) return <a className="font-medium underline" href={contact}>{contact}</a>;
  return <span className="font-medium">{contact}</span>;
}

export function SuspensionBanner({ tenant, className }: { tenant: SuspendedTenantView; className?: string }) {
  // A suspension without a kind predates kinds: it was the abuse kind (nothing served).
  const billing = tenant.suspensionKind === "billing";
  return (
    <Notice tone="warning" className={className} testId="suspension-banner">
      <p className="font-semibold">
        {tenant.name} is suspended {billing ? "for billing" : "for abuse"}
        {tenant.suspensionReason ? `: ${tenant.suspensionReason}` : ""}.
      </p>
      <p className="mt-1">
        {billing
          ? "Its domains are still served, and you can sign in and see everything, but changes are disabled."
          : "Its domains are not served: our nameservers refuse to answer for them. Its records are kept, you can sign in and see everything, but changes are disabled."}{" "}
        To resolve this, contact <Contact />.
      </p>
    </Notice>
  );
}
