import { userInfo } from "node:os";
import { eq } from "drizzle-orm";
import { loadConfig, readAuditKey } from "../../server/config.js";
import { openDatabase } from "../../server/db/client.js";
import { users } from "../../server/db/schema/index.js";
import { unlockAccount } from "../../server/modules/accounts/unlock.js";
import { setAuditKey } from "../../server/modules/audit/service.js";
import { bilingual, CliError } from "../cli-error.js";
import type { CommandContext } from "../command.js";

/** The operating-system user who ran the command, for the audit entry (best effort). */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

/** `kaohe users unlock NAME`: the way back in when the security administrator is the one held back. */
export async function runUsersUnlock({ positionals, lang, out, env }: CommandContext): Promise<number> {
  const name = positionals[0]!;
  const config = loadConfig(env);
  setAuditKey(readAuditKey(config.auditKey)); // the unlock is audited: its entry is sealed with the key
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const [account] = await database.db
      .select({ id: users.id, username: users.username })
      .from(users)
      .where(eq(users.username, name));
    if (!account)
      throw new CliError({}, bilingual(`没有用户名为 ${name} 的账号`, `no account named ${name}`));
    const { cleared } = await unlockAccount(database.db, account, {
      actor: `command line (${osUser()})`,
      ip: null,
      via: "command line",
    });
    out(
      lang === "zh-CN"
        ? `已解除账号 ${name} 的登录限制（清除 ${cleared} 项），已记入审计日志`
        : `sign-in throttles on ${name} lifted (${cleared} cleared); recorded in the audit trail`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
