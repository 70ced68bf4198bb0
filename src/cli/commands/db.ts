import type { Lang } from "../../engine/index.js";
import { loadConfig } from "../../server/config.js";
import { openDatabase } from "../../server/db/client.js";
import { verifyAuditChain } from "../../server/modules/audit/service.js";
import { bilingual, CliError } from "../cli-error.js";

export const dbHelp: Record<Lang, string> = {
  "zh-CN": `kaohe db — 数据库

用法：kaohe db migrate   执行数据库迁移（PGlite 数据目录 KAOHE_DATA_DIR，或 DATABASE_URL）`,
  en: `kaohe db — the database

usage: kaohe db migrate   apply the migrations (PGlite in KAOHE_DATA_DIR, or DATABASE_URL)`,
};

export const auditHelp: Record<Lang, string> = {
  "zh-CN": `kaohe audit — 审计日志

用法：kaohe audit verify   逐条校验审计日志的哈希链，指出第一条被篡改或断链的记录`,
  en: `kaohe audit — the audit trail

usage: kaohe audit verify   check the audit trail's hash chain and name the first altered or unlinked entry`,
};

async function withDatabase<T>(f: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await f(database);
  } finally {
    await database.close();
  }
}

export async function runDb(argv: string[], lang: Lang, out: (s: string) => void): Promise<number> {
  const [action] = argv.filter((a) => !a.startsWith("--"));
  if (action !== "migrate") {
    out(dbHelp[lang]);
    return action === undefined ? 0 : 2;
  }
  await withDatabase((d) => d.migrate());
  out(lang === "zh-CN" ? "数据库迁移已完成" : "migrations applied");
  return 0;
}

export async function runAudit(argv: string[], lang: Lang, out: (s: string) => void): Promise<number> {
  const [action] = argv.filter((a) => !a.startsWith("--"));
  if (action !== "verify") {
    out(auditHelp[lang]);
    return action === undefined ? 0 : 2;
  }
  const check = await withDatabase(async (d) => {
    await d.migrate();
    return verifyAuditChain(d.db);
  });
  if (!check.ok) {
    const what =
      check.reason === "altered"
        ? ["内容被篡改", "was altered"]
        : ["之前的记录被删除或插入", "is not linked to the entry before it"];
    throw new CliError(
      {},
      bilingual(
        `审计日志第 ${check.brokenAt} 条${what[0]}（共 ${check.entries} 条）`,
        `audit entry ${check.brokenAt} ${what[1]} (${check.entries} entries)`,
      ),
    );
  }
  out(
    lang === "zh-CN"
      ? `审计日志完好：${check.entries} 条，链尾哈希 ${check.head}`
      : `audit trail intact: ${check.entries} entries, head hash ${check.head}`,
  );
  return 0;
}
