// Who is asking: the signed-in user behind this request, for pages, server actions and route
// handlers. Server-only (it reads the request's cookies through next-auth).
import { cache } from "react";
import { getServerSession } from "next-auth";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { encode } from "next-auth/jwt";
import { db } from "../db/client.ts";
import type { Principal } from "../permissions.ts";
import { authOptions, SESSION_MAX_AGE_SECONDS, sessionCookieName, useSecureCookies } from "./next-auth.ts";

/**
 * The principal of this request, or null. The session token must name an existing user and
 * that user's current sessionVersion. Memoised per request (layout and page both ask).
 */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const session = await getServerSession(authOptions);
  if (!session?.userId) return null;
  const user = await db().user.findUnique({ where: { id: session.userId } });
  if (!user || user.sessionVersion !== session.sessionVersion) return null;
  return { userId: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin };
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

/**
 * Replaces this browser's session cookie with one for `sessionVersion` (after a password
 * change bumped it: every other session is now invalid, this one continues).
 */
export async function renewSession(user: { id: string; email: string; name: string; sessionVersion: number }): Promise<void> {
  const token = await encode({
    token: { sub: user.id, email: user.email, name: user.name, sv: user.sessionVersion },
    secret: process.env.NEXTAUTH_SECRET!,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  (await cookies()).set(sessionCookieName(), token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: useSecureCookies(),
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}
