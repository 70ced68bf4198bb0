import { createHash, randomBytes } from "node:crypto";
import type { DatabaseHandle } from "../src/server/db/client.js";
import { sessions } from "../src/server/db/schema/index.js";

/**
 * A session row for a user, valid for `hours`: the benches seed their callers' sessions this way, as
 * signing in through argon2 would only slow the seeding down. Returns the cookie and CSRF token to send.
 */
export async function signedIn(database: DatabaseHandle, userId: string, hours = 1) {
  const token = randomBytes(32).toString("base64url");
  const csrf = randomBytes(24).toString("base64url");
  await database.db.insert(sessions).values({
    tokenHash: createHash("sha256").update(token).digest("hex"),
    userId,
    csrfToken: csrf,
    expiresAt: new Date(Date.now() + hours * 3600_000),
  });
  return { cookie: `kaohe_session=${token}`, csrf };
}
