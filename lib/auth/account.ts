// A user's own account: changing the password. The current password is checked under the same
// per-account throttle as sign-in, so a hijacked session cannot be used to guess it.
import { db, type Db } from "../db/client.ts";
import { ValidationError, NotFoundError } from "../errors.ts";
import type { Principal } from "../permissions.ts";
import { changePasswordSchema } from "./password-policy.ts";
import { parseOrThrow } from "../validation.ts";
import { endOtherAuthSessions } from "./auth-sessions.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { throttleMessage } from "./sign-in.ts";
import { accountKey, forgiveAttempt, reserveAttempt } from "./throttle.ts";
import { audit, actorOf } from "../audit/audit.ts";

/** Changes the principal's password and ends their other sessions (this one continues). */
export async function changeOwnPassword(principal: Principal, input: unknown, client: Db = db()) {
  const { currentPassword, newPassword } = parseOrThrow(changePasswordSchema, input);
  const user = await client.user.findUnique({ where: { id: principal.userId } });
  if (!user) throw new NotFoundError("user");
  const key = accountKey(user.email);
  const wait = await reserveAttempt([key], client);
  if (wait > 0) throw new ValidationError([{ path: ["currentPassword"], message: throttleMessage(wait) }]);
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new ValidationError([{ path: ["currentPassword"], message: "this is not your current password" }]);
  }
  await forgiveAttempt([key], client);
  if (currentPassword === newPassword) {
    throw new ValidationError([{ path: ["newPassword"], message: "choose a password different from the current one" }]);
  }
  const passwordHash = await hashPassword(newPassword);
  await client.user.update({ where: { id: user.id }, data: { passwordHash } });
  await endOtherAuthSessions(user.id, principal.sessionId, client);
  await audit(client, { ...actorOf(principal), actorLabel: user.email, action: "user.password", target: user.email });
}
