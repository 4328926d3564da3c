// next-auth (v4) configuration: email + password (Credentials), sessions as signed JWT cookies.
//
// The token carries the user id and the user's sessionVersion; lib/auth/session.ts checks
// both against the database on every request, so deleting a user or changing a password ends
// their other sessions at once. Cookies are httpOnly and sameSite=lax (next-auth's defaults)
// and Secure (with the __Secure- prefix) in production unless the panel is served over plain
// http on localhost (the demo that `npm start` runs).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { clientAddress } from "./client-address.ts";
import { verifySignIn } from "./sign-in.ts";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

export function useSecureCookies(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NODE_ENV !== "production") return false;
  return !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(env.NEXTAUTH_URL ?? "");
}

export function sessionCookieName(env: NodeJS.ProcessEnv = process.env): string {
  return `${useSecureCookies(env) ? "__Secure-" : ""}next-auth.session-token`;
}

declare module "next-auth" {
  interface Session {
    userId: string;
    sessionVersion: number;
  }
  interface User {
    sessionVersion: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sv?: number;
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
    jwt({ token, user }) {
      if (user) token.sv = user.sessionVersion;
      return token;
    },
    session({ session, token }) {
      // Only what the server needs; the browser never reads the session (no SessionProvider).
      return { expires: session.expires, userId: token.sub ?? "", sessionVersion: token.sv ?? -1 };
    },
  },
};
