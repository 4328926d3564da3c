// next-auth (v4) configuration: email + password (Credentials), sessions as signed JWT cookies.
//
// The token carries the user id and a session id ("sid"); lib/auth/session.ts accepts it only
// while that session's row exists (lib/auth/auth-sessions.ts), so signing out, a password
// change or a deleted user end sessions at once. Cookies are httpOnly and sameSite=lax
// (next-auth's defaults) and Secure (with the __Secure- prefix) in production unless the panel
// is served over plain http on localhost (the demo that `npm start` runs).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { SESSION_MAX_AGE_SECONDS, startAuthSession } from "./auth-sessions.ts";
import { clientAddress } from "./client-address.ts";
import { signOutSession, verifySignIn } from "./sign-in.ts";

export function useSecureCookies(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NODE_ENV !== "production") return false;
  return !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(env.NEXTAUTH_URL ?? "");
}

declare module "next-auth" {
  interface Session {
    userId: string;
    sessionId: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
  }
}

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  useSecureCookies: useSecureCookies(),
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      // Throws SignInError; next-auth passes its message to the form (?error=...).
      authorize: async (credentials, req) => verifySignIn(credentials ?? {}, clientAddress(req.headers ?? {})),
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      // At sign-in only: the session this token stands for, from now until it ends.
      if (user) token.sid = await startAuthSession(user.id);
      return token;
    },
    session({ session, token }) {
      // Only what the server needs; the browser never reads the session (no SessionProvider).
      return { expires: session.expires, userId: token.sub ?? "", sessionId: token.sid ?? "" };
    },
  },
  events: {
    // Signing out (POST /api/auth/signout, from the header's "Sign out"): the session ends on
    // the server and the audit log records it with the client's address.
    async signOut({ token }) {
      await signOutSession({ sessionId: token?.sid, userId: token?.sub }, await requestAddress());
    },
  },
};

/**
 * The client address of the request being handled. next-auth's events get no request; Next's
 * request scope has its headers (null outside one, e.g. a test calling the event).
 */
async function requestAddress(): Promise<string | null> {
  try {
    return clientAddress(await headers());
  } catch {
    return null;
  }
}
