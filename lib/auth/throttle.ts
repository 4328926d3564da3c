// Sign-in attempts, counted per account and per client address in PostgreSQL (so the counts
// hold across panel processes and restarts). Fixed windows: within `window` of the first
// attempt, at most `limit` attempts may go ahead; the rest are refused until the window ends.
//
// An attempt is counted BEFORE the password is checked, in one atomic statement per key, so
// a burst of concurrent requests cannot all pass the check before any failure is recorded. A
// successful attempt is then forgiven (it was not a failure).
//
// The account key is the email as typed (normalised), whether or not such a user exists, so a
// throttled reply says nothing about which emails have accounts. IPv6 clients are counted per
// /64, the block one subscriber usually gets, so rotating addresses within it does not help.
import { db, type Db } from "../db/client.ts";
import { ipv6Groups } from "../dns/ip.ts";

export const THROTTLE_WINDOW_SECONDS = 15 * 60;
export const ACCOUNT_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;

export interface ThrottleKey {
  key: string;
  limit: number;
  /** What a success does to the count: the account's is cleared, the address's gets one back. */
  onSuccess: "clear" | "forgive";
}

export const accountKey = (email: string): ThrottleKey => ({ key: `account:${email}`, limit: ACCOUNT_FAILURE_LIMIT, onSuccess: "clear" });

export function addressKey(address: string): ThrottleKey {
  const groups = ipv6Groups(address);
  const block = groups ? `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64` : address;
  return { key: `address:${block}`, limit: ADDRESS_FAILURE_LIMIT, onSuccess: "forgive" };
}

/**
 * Counts one attempt against every key. Returns 0 when it may go ahead, else the seconds until
 * the first exhausted window ends (the attempt still counts: hammering does not help).
 */
export async function reserveAttempt(keys: ThrottleKey[], client: Db = db()): Promise<number> {
  let wait = 0;
  for (const { key, limit } of keys) {
    const [row] = await client.$queryRaw<{ failures: number; windowStart: Date }[]>`
      INSERT INTO "AuthThrottle" (key, failures, "windowStart") VALUES (${key}, 1, now())
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN "AuthThrottle"."windowStart" < now() - make_interval(secs => ${THROTTLE_WINDOW_SECONDS})
                        THEN 1 ELSE "AuthThrottle".failures + 1 END,
        "windowStart" = CASE WHEN "AuthThrottle"."windowStart" < now() - make_interval(secs => ${THROTTLE_WINDOW_SECONDS})
                        THEN now() ELSE "AuthThrottle"."windowStart" END
      RETURNING failures, "windowStart"`;
    if (row.failures > limit) {
      const ends = row.windowStart.getTime() + THROTTLE_WINDOW_SECONDS * 1000;
      wait = Math.max(wait, Math.max(1, Math.ceil((ends - Date.now()) / 1000)));
    }
  }
  return wait;
}

/** The attempt succeeded: it does not count as a failure. */
export async function forgiveAttempt(keys: ThrottleKey[], client: Db = db()): Promise<void> {
  for (const { key, onSuccess } of keys) {
    if (onSuccess === "clear") await client.authThrottle.deleteMany({ where: { key } });
    else await client.$executeRaw`UPDATE "AuthThrottle" SET failures = GREATEST(failures - 1, 0) WHERE key = ${key}`;
  }
}
