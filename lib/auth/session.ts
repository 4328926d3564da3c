// Who is asking: the signed-in user behind this request, for pages, server actions and route
// handlers. Server-only (it reads the request's cookies through next-auth).
import { cache } from "react";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { Principal } from "../permissions.ts";
import { userOfAuthSession } from "./auth-sessions.ts";
import { clientAddress } from "./client-address.ts";
import { authOptions } from "./next-auth.ts";

/**
 * The principal of this request, or null. The session token must name a live session of its
 * user (lib/auth/auth-sessions.ts). Memoised per request (layout and page both ask).
 */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const session = await getServerSession(authOptions);
  if (!session?.userId || !session.sessionId) return null;
  const user = await userOfAuthSession(session.sessionId);
  if (!user || user.id !== session.userId) return null;
  return {
    userId: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin, sessionId: session.sessionId,
    clientAddress: clientAddress(await headers()),
  };
});

/**
 * The principal, or a redirect to the sign-in page, which then returns to the page asked for
 * (scripts/panel-server.ts passes its path in x-request-path; /login sanitises it).
 */
export async function requirePrincipal(): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) {
    const path = (await headers()).get("x-request-path");
    redirect(path && path !== "/" && !path.startsWith("/_next") ? `/login?callbackUrl=${encodeURIComponent(path)}` : "/login");
  }
  return principal;
}
