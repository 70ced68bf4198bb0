import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { loadConfig } from "../../server/config.js";
import { BACKUP_FORMAT, backup, RestoreError, restore } from "../../server/db/backup.js";
import { openDatabase } from "../../server/db/client.js";
import { verifyAuditChain } from "../../server/modules/audit/service.js";
import { bilingual, CliError } from "../cli-error.js";
import type { CommandContext } from "../command.js";
import { writeFileAtomically } from "../write-files.js";

async function withDatabase<T>(f: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await f(database);
  } finally {
    await database.close();
  }
}

export async function runMigrate({ lang, out }: CommandContext): Promise<number> {
  await withDatabase((d) => d.migrate());
  out(lang === "zh-CN" ? "数据库迁移已完成" : "migrations applied");
  return 0;
}

export async function runAuditVerify({ lang, out }: CommandContext): Promise<number> {
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

export async function runBackup({ positionals, lang, out }: CommandContext): Promise<number> {
  const file = positionals[0] as string;
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

export async function runRestore({ positionals, lang, out }: CommandContext): Promise<number> {
  const file = positionals[0] as string;
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    throw new CliError({ file }, bilingual("无法读取文件", `cannot read file (${(e as Error).message})`));
  }
  refuseNonBackup(file, data);
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

/**
 * Refuses a file that is not a kaohe backup before the database is opened, so that a wrong file
 * creates no data directory (restore() checks the content in full once the database is open).
 */
function refuseNonBackup(file: string, data: Buffer): void {
  let format: unknown;
  try {
    format = (JSON.parse(gunzipSync(data).toString("utf8")) as { format?: unknown }).format;
  } catch {
    throw new CliError(
      { file },
      bilingual(
        "无法恢复：不是 kaohe 备份文件（应为 gzip 压缩的 JSON）",
        "cannot restore: not a kaohe backup file (expected gzipped JSON)",
      ),
    );
  }
  if (format !== BACKUP_FORMAT)
    throw new CliError(
      { file },
      bilingual(
        `无法恢复：未知的备份格式 ${String(format)}`,
        `cannot restore: unknown backup format ${String(format)}`,
      ),
    );
}
