// A user's own account: changing the password. The current password is checked under the same
// per-account throttle as sign-in, so a hijacked session cannot be used to guess it.
import { db, type Db } from "../db/client.ts";
import { ValidationError, NotFoundError } from "../errors.ts";
import type { Principal } from "../permissions.ts";
import { changePasswordSchema } from "../tenancy/schemas.ts";
import { parseOrThrow } from "../validation.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { throttleMessage } from "./sign-in.ts";
import { accountKey, clearFailures, recordFailure, throttledFor } from "./throttle.ts";

/** Changes the principal's password; returns the user with its new session version. */
export async function changeOwnPassword(principal: Principal, input: unknown, client: Db = db()) {
  const { currentPassword, newPassword } = parseOrThrow(changePasswordSchema, input);
  const user = await client.user.findUnique({ where: { id: principal.userId } });
  if (!user) throw new NotFoundError("user");
  const key = accountKey(user.email);
  const wait = await throttledFor([key], client);
  if (wait > 0) throw new ValidationError([{ path: ["currentPassword"], message: throttleMessage(wait) }]);
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    await recordFailure([key], client);
    throw new ValidationError([{ path: ["currentPassword"], message: "this is not your current password" }]);
  }
  if (currentPassword === newPassword) {
    throw new ValidationError([{ path: ["newPassword"], message: "choose a password different from the current one" }]);
  }
  await clearFailures(key, client);
  const passwordHash = await hashPassword(newPassword);
  // Every session carries the version it was made with: the others end now.
  const updated = await client.user.update({ where: { id: user.id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
  await client.auditLog.create({ data: { actorId: user.id, actorLabel: user.email, action: "user.password", target: user.email, details: {} } });
  return { id: updated.id, email: updated.email, name: updated.name, sessionVersion: updated.sessionVersion };
}
