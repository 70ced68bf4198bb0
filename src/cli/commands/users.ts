import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import type { Lang } from "../../engine/index.js";
import { loadConfig } from "../../server/config.js";
import { openDatabase } from "../../server/db/client.js";
import { users } from "../../server/db/schema/index.js";
import { unlockAccount } from "../../server/modules/accounts/unlock.js";
import { bilingual, CliError } from "../cli-error.js";

export const usersHelp: Record<Lang, string> = {
  "zh-CN": `kaohe users — 账号（在服务器本机执行）

用法：kaohe users unlock 用户名   解除该账号的全部登录限制（各来源地址的和账号整体的），记入审计日志
      （数据库：PGlite 数据目录 KAOHE_DATA_DIR，或 DATABASE_URL；安全管理员自己被限制时的恢复途径）`,
  en: `kaohe users — accounts (run on the server itself)

usage: kaohe users unlock NAME   lift every sign-in throttle on the account (from each address and
                                 account-wide), recorded in the audit trail
      (the database: PGlite in KAOHE_DATA_DIR, or DATABASE_URL; the way back in when the security
       administrator is the one held back)`,
};

/** The operating-system user who ran the command, for the audit entry (best effort). */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

export async function runUsers(argv: string[], lang: Lang, out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { lang: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  const [action, name, ...extra] = positionals;
  if (values.help || action === undefined) {
    out(usersHelp[lang]);
    return 0;
  }
  if (action !== "unlock" || name === undefined || extra.length > 0) {
    out(usersHelp[lang]);
    return 2;
  }
  const config = loadConfig(process.env);
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
