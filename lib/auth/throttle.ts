// Failed sign-in counting, per account and per client address, in PostgreSQL (so it holds
// across panel processes and restarts). Fixed windows: after `limit` failures within `window`,
// further attempts are refused until the window that started with the first failure ends.
//
// The account key is the email as typed (normalised), whether or not such a user exists, so a
// throttled reply says nothing about which emails have accounts.
import { db, type Db } from "../db/client.ts";

export const THROTTLE_WINDOW_SECONDS = 15 * 60;
export const ACCOUNT_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;

export interface ThrottleKey {
  key: string;
  limit: number;
}

export const accountKey = (email: string): ThrottleKey => ({ key: `account:${email}`, limit: ACCOUNT_FAILURE_LIMIT });
export const addressKey = (address: string): ThrottleKey => ({ key: `address:${address}`, limit: ADDRESS_FAILURE_LIMIT });

/** Seconds until the first exhausted key's window ends; 0 when none is exhausted. */
export async function throttledFor(keys: ThrottleKey[], client: Db = db()): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = await client.authThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
  const now = Date.now();
  let wait = 0;
  for (const row of rows) {
    const limit = keys.find((k) => k.key === row.key)!.limit;
    const ends = row.windowStart.getTime() + THROTTLE_WINDOW_SECONDS * 1000;
    if (row.failures >= limit && ends > now) wait = Math.max(wait, Math.ceil((ends - now) / 1000));
  }
  return wait;
}

/** Counts one failure against every key (a new window starts when the old one has ended). */
export async function recordFailure(keys: ThrottleKey[], client: Db = db()): Promise<void> {
  for (const { key } of keys) {
    // One statement per key: concurrent failures never lose a count.
    await client.$executeRaw`
      INSERT INTO "AuthThrottle" (key, failures, "windowStart") VALUES (${key}, 1, now())
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN "AuthThrottle"."windowStart" < now() - make_interval(secs => ${THROTTLE_WINDOW_SECONDS})
                        THEN 1 ELSE "AuthThrottle".failures + 1 END,
        "windowStart" = CASE WHEN "AuthThrottle"."windowStart" < now() - make_interval(secs => ${THROTTLE_WINDOW_SECONDS})
                        THEN now() ELSE "AuthThrottle"."windowStart" END`;
  }
}

export async function clearFailures(key: ThrottleKey, client: Db = db()): Promise<void> {
  await client.authThrottle.deleteMany({ where: { key: key.key } });
}
