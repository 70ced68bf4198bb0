import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { ADVISORY_LOCKS } from "../../db/locks.js";
import { type Role, userRoles, users } from "../../db/schema/index.js";
import { appendAudit } from "../audit/service.js";
import { hashPassword, oneTimePassword } from "./passwords.js";

const administrators: { username: string; displayName: string; role: Role }[] = [
  { username: "sysadmin", displayName: "系统管理员", role: "system_admin" },
  { username: "secadmin", displayName: "安全管理员", role: "security_admin" },
  { username: "auditadmin", displayName: "审计管理员", role: "audit_admin" },
];

/**
 * On an empty database, creates the three separate administrator accounts (三员分立) with one-time
 * passwords that must be changed at first sign-in, and returns the passwords to show once. Safe when
 * several processes start together: the first takes an advisory lock and the rest find the accounts.
 */
export async function bootstrapAdministrators(
  db: Database,
): Promise<{ username: string; password: string }[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.bootstrap})`);
    const existing = await tx.select({ id: users.id }).from(users).limit(1);
    if (existing.length > 0) return [];
    const created: { username: string; password: string }[] = [];
    for (const admin of administrators) {
      const password = oneTimePassword();
      const [user] = await tx
        .insert(users)
        .values({
          username: admin.username,
          displayName: admin.displayName,
          passwordHash: await hashPassword(password),
        })
        .returning({ id: users.id });
      await tx.insert(userRoles).values({ userId: user!.id, role: admin.role });
      await appendAudit(tx, {
        actor: "system",
        action: "account.create",
        entity: "user",
        entityId: user!.id,
        after: { username: admin.username, role: admin.role, mustChangePassword: true },
      });
      created.push({ username: admin.username, password });
    }
    return created;
  });
}
