import { readFileSync } from "node:fs";
import type { Lang } from "../../engine/index.js";
import { loadConfig } from "../../server/config.js";
import { backup, RestoreError, restore } from "../../server/db/backup.js";
import { openDatabase } from "../../server/db/client.js";
import { verifyAuditChain } from "../../server/modules/audit/service.js";
import { bilingual, CliError } from "../cli-error.js";
import { writeFileAtomically } from "../write-files.js";

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
        `审计日志第 ${check.brokenAt} 条${what[0]}（${check.algorithm} 校验，共 ${check.entries} 条）`,
        `audit entry ${check.brokenAt} ${what[1]} (${check.algorithm}; ${check.entries} entries)`,
      ),
    );
  }
  out(
    lang === "zh-CN"
      ? `审计日志完好：${check.entries} 条（其中 ${check.sm3Entries} 条另经 SM3 校验），链尾哈希 ${check.head}`
      : `audit trail intact: ${check.entries} entries (${check.sm3Entries} also in SM3), head hash ${check.head}`,
  );
  return 0;
}

export const backupHelp: Record<Lang, string> = {
  "zh-CN": `kaohe backup 文件 — 备份数据库（一致性快照，gzip 压缩的 JSON；PGlite 与 PostgreSQL 通用）
kaohe restore 文件 — 恢复到空数据库（全部成功或全部不写入），并校验审计日志哈希链`,
  en: `kaohe backup FILE — back up the database (a consistent snapshot as gzipped JSON; PGlite and PostgreSQL alike)
kaohe restore FILE — restore into an empty database (all or nothing), then verify the audit chain`,
};

export async function runBackup(argv: string[], lang: Lang, out: (s: string) => void): Promise<number> {
  const [file] = argv.filter((a) => !a.startsWith("--") && a !== "en" && a !== "zh-CN");
  if (!file) {
    out(backupHelp[lang]);
    return 2;
  }
  const data = await withDatabase(async (d) => {
    await d.migrate();
    return backup(d.db);
  });
  writeFileAtomically(file, data);
  out(
    lang === "zh-CN"
      ? `已备份到 ${file}（${data.length} 字节）`
      : `backed up to ${file} (${data.length} bytes)`,
  );
  return 0;
}

export async function runRestore(argv: string[], lang: Lang, out: (s: string) => void): Promise<number> {
  const [file] = argv.filter((a) => !a.startsWith("--") && a !== "en" && a !== "zh-CN");
  if (!file) {
    out(backupHelp[lang]);
    return 2;
  }
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    throw new CliError({ file }, bilingual("无法读取文件", `cannot read file (${(e as Error).message})`));
  }
  const { rows, check } = await withDatabase(async (d) => {
    await d.migrate();
    try {
      const restored = await restore(d.db, data);
      return { ...restored, check: await verifyAuditChain(d.db) };
    } catch (e) {
      if (e instanceof RestoreError)
        throw new CliError({ file }, bilingual(`无法恢复：${e.message}`, `cannot restore: ${e.message}`));
      throw e;
    }
  });
  if (!check.ok)
    throw new CliError(
      { file },
      bilingual(
        `恢复后审计日志第 ${check.brokenAt} 条校验失败`,
        `after restoring, audit entry ${check.brokenAt} does not verify`,
      ),
    );
  out(
    lang === "zh-CN"
      ? `已恢复 ${rows} 行，审计日志完好（${check.entries} 条）`
      : `restored ${rows} rows; audit trail intact (${check.entries} entries)`,
  );
  return 0;
}
