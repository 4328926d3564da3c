// Checking a sign-in: rate limits first, then the password. The messages never reveal whether
// an email has an account: an unknown email takes the same time (a real scrypt run against a
// dummy hash), gets the same message, and is throttled the same way.
import { db, type Db } from "../db/client.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { accountKey, addressKey, forgiveAttempt, reserveAttempt, type ThrottleKey } from "./throttle.ts";
import { audit } from "../audit/audit.ts";

export const SIGN_IN_FAILED = "Email or password is incorrect.";

/** A refusal whose message is safe to show as is. */
export class SignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignInError";
  }
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function throttleMessage(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

let dummyHash: Promise<string> | undefined;

/** Checks email and password from `address` (the client's IP, when known). Throws SignInError. */
export async function verifySignIn(
  input: { email?: unknown; password?: unknown },
  address: string | null,
  client: Db = db(),
): Promise<SignedInUser> {
  const email = typeof input.email === "string" ? normalizeEmail(input.email) : "";
  const password = typeof input.password === "string" ? input.password : "";
  if (!email || !password) throw new SignInError("Enter your email and password.");
  const keys: ThrottleKey[] = [accountKey(email), ...(address ? [addressKey(address)] : [])];
  // Counted before the password is checked: concurrent guesses cannot overtake the count.
  const wait = await reserveAttempt(keys, client);
  if (wait > 0) throw new SignInError(throttleMessage(wait));

  const user = await client.user.findUnique({ where: { email } });
  dummyHash ??= hashPassword("not a password anyone has");
  const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
  // A disabled user gets the usual message: whether an account exists, or is disabled, is not
  // for whoever types an email to learn.
  if (!user?.passwordHash || !matches || user.disabledAt) throw new SignInError(SIGN_IN_FAILED);
  await forgiveAttempt(keys, client);
  await client.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await audit(client, { actorId: user.id, actorLabel: user.email, action: "user.sign-in", target: user.email, clientAddress: address });
  return { id: user.id, email: user.email, name: user.name };
}
