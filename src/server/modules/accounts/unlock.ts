import type { Database } from "../../db/client.js";
import { appendAudit } from "../audit/service.js";
import { clearAllThrottles } from "../auth/throttle.js";

/**
 * Lifts every sign-in throttle on an account (from every address, and account-wide), audited with who
 * did it and how: the security administrator through the API, or whoever runs `kaohe users unlock` on
 * the server's own command line.
 */
export async function unlockAccount(
  db: Database,
  account: { id: string; username: string },
  by: { actor: string; ip: string | null; via: "api" | "command line" },
): Promise<{ cleared: number }> {
  return db.transaction(async (tx) => {
    const cleared = await clearAllThrottles(tx, account.username);
    await appendAudit(tx, {
      actor: by.actor,
      ip: by.ip,
      action: "user.unlock",
      entity: "user",
      entityId: account.id,
      after: { username: account.username, via: by.via, throttlesCleared: cleared },
    });
    return { cleared };
  });
}
