import { and, eq, gt, ne, sql } from "drizzle-orm";
import type { SecuritySettings } from "../../config.js";
import type { Database } from "../../db/client.js";
import { loginAttempts, signInLimits, signInThrottles } from "../../db/schema/index.js";

/**
 * Sign-in throttling, all of it in the database so that it holds across app processes and for
 * parallel requests (docs/security.md, "Accounts, roles and sign-in"):
 *
 * - an address may make `loginsPerMinute` attempts a minute, whatever the accounts;
 * - an account and an address (a pair): after `throttleAfter` failures in a row the address waits
 *   `throttleBaseMs`, doubled after each further failure, up to `throttleMaxMs`, before it may try that
 *   account again; a wrong password from one address never delays the same account elsewhere;
 * - an account from every address together: after `accountThrottleAfter` failures in a row, an address
 *   that has never signed in to the account may try it only `accountThrottleMs` after the account's
 *   last attempt; addresses the account signed in from before are not held back by this.
 *
 * An attempt is counted as a failure before its password is checked, under the rows' locks, so
 * parallel attempts are counted one by one; a right password clears the account's rows.
 */

/** Failures this long ago are forgotten: a pair that was quiet for a day starts again. */
const FORGET_MS = 24 * 3600_000;
/** Addresses a successful sign-in came from within this time are the account's known addresses. */
const KNOWN_ADDRESS_MS = 90 * 24 * 3600_000;
/** The account-wide row of an account: failures from every address together. */
const EVERY_ADDRESS = "";

export type Admission =
  | {
      admitted: true;
      /** The throttles this attempt started (the one that reached the threshold), to be audited. */
      started: { scope: "address" | "account"; failures: number; until: Date }[];
    }
  | { admitted: false; scope: "rate" | "address" | "account"; until: Date };

const pairDelay = (s: SecuritySettings, failures: number) =>
  Math.min(s.throttleBaseMs * 2 ** Math.min(failures - s.throttleAfter, 40), s.throttleMaxMs);

/** Counts one attempt of `account` from `address` at `t`, or refuses it (and then counts nothing more). */
export async function admitAttempt(
  db: Database,
  s: SecuritySettings,
  account: string,
  address: string,
  t: Date,
): Promise<Admission> {
  // The address's attempts this minute, raised and read in one statement.
  const windowStart = new Date(Math.floor(t.getTime() / 60_000) * 60_000);
  const [rate] = await db
    .insert(signInLimits)
    .values({ address, windowStart, attempts: 1 })
    .onConflictDoUpdate({
      target: signInLimits.address,
      set: {
        attempts: sql`CASE WHEN ${signInLimits.windowStart} = ${windowStart.toISOString()}::timestamptz THEN ${signInLimits.attempts} + 1 ELSE 1 END`,
        windowStart,
      },
    })
    .returning({ attempts: signInLimits.attempts });
  if ((rate?.attempts ?? 0) > s.loginsPerMinute)
    return { admitted: false, scope: "rate", until: new Date(windowStart.getTime() + 60_000) };

  const [known] = await db
    .select({ one: sql`1` })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.ip, address),
        eq(loginAttempts.username, account),
        eq(loginAttempts.succeeded, "yes"),
        gt(loginAttempts.at, new Date(t.getTime() - KNOWN_ADDRESS_MS)),
      ),
    )
    .limit(1);
  // The pair's row first, then the account's: every transaction locks in this order, so none deadlock.
  const scopes = known ? (["address"] as const) : (["address", "account"] as const);
  return db.transaction(async (tx) => {
    const rows = [];
    for (const scope of scopes) {
      const key = { account, address: scope === "address" ? address : EVERY_ADDRESS };
      // One statement that creates the row or locks the existing one, and returns it either way (a row
      // deleted meanwhile by a success or an unlock is simply created again).
      const [row] = await tx
        .insert(signInThrottles)
        .values({ ...key, failures: 0, updatedAt: t })
        .onConflictDoUpdate({
          target: [signInThrottles.account, signInThrottles.address],
          set: { failures: sql`${signInThrottles.failures}` },
        })
        .returning();
      if (row!.blockedUntil && row!.blockedUntil > t)
        return { admitted: false, scope, until: row!.blockedUntil } as const;
      rows.push({ scope, key, row: row! });
    }
    const started: { scope: "address" | "account"; failures: number; until: Date }[] = [];
    for (const { scope, key, row } of rows) {
      const failures = (t.getTime() - row.updatedAt.getTime() > FORGET_MS ? 0 : row.failures) + 1;
      const after = scope === "address" ? s.throttleAfter : s.accountThrottleAfter;
      const blockedUntil =
        failures < after
          ? null
          : new Date(t.getTime() + (scope === "address" ? pairDelay(s, failures) : s.accountThrottleMs));
      if (blockedUntil && failures === after) started.push({ scope, failures, until: blockedUntil });
      await tx
        .update(signInThrottles)
        .set({ failures, blockedUntil, updatedAt: t })
        .where(and(eq(signInThrottles.account, key.account), eq(signInThrottles.address, key.address)));
    }
    return { admitted: true, started } as const;
  });
}

/**
 * After a right password: the account's failures from this address and from all addresses are cleared.
 * The pair's row goes first, then the account's, in the order admitAttempt locks them (no deadlock).
 */
export async function clearAfterSuccess(db: Database, account: string, address: string): Promise<void> {
  for (const key of address === EVERY_ADDRESS ? [address] : [address, EVERY_ADDRESS])
    await db
      .delete(signInThrottles)
      .where(and(eq(signInThrottles.account, account), eq(signInThrottles.address, key)));
}

/** Unlocking an account: every throttle on it, from every address, is cleared (pairs first, as above). */
export async function clearAllThrottles(db: Database, account: string): Promise<number> {
  const pairs = await db
    .delete(signInThrottles)
    .where(and(eq(signInThrottles.account, account), ne(signInThrottles.address, EVERY_ADDRESS)))
    .returning({ address: signInThrottles.address });
  const whole = await db
    .delete(signInThrottles)
    .where(and(eq(signInThrottles.account, account), eq(signInThrottles.address, EVERY_ADDRESS)))
    .returning({ address: signInThrottles.address });
  return pairs.length + whole.length;
}

/** Whether the account is held back now: a throttle on it, from some address or account-wide, runs. */
export const throttledNow = (account: unknown, t: Date) =>
  sql<boolean>`EXISTS (SELECT 1 FROM ${signInThrottles} th WHERE th.account = ${account} AND th.blocked_until > ${t.toISOString()}::timestamptz)`;
