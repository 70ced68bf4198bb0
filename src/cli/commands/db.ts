import { closeSync, createReadStream, openSync, readFileSync } from "node:fs";
import { loadConfig, readAuditKey } from "../../server/config.js";
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_1,
  backupFormat,
  backupToFile,
  RestoreError,
  restoreFile,
} from "../../server/db/backup.js";
import { openDatabase } from "../../server/db/client.js";
import {
  auditCheckpoint,
  beginKeyedChain,
  type ChainCheck,
  type Checkpoint,
  parseCheckpoint,
  setAuditKey,
  verifyAuditChain,
} from "../../server/modules/audit/service.js";
import { bilingual, CliError } from "../cli-error.js";
import type { CommandContext } from "../command.js";
import { writeFileAtomically } from "../write-files.js";

export async function withDatabase<T>(
  f: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
): Promise<T> {
  const config = loadConfig(process.env);
  // Read when first needed: migrating or backing up PostgreSQL needs no audit key.
  setAuditKey(() => readAuditKey(config.auditKey));
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

/** What went wrong at the first entry at fault, in both languages. */
function faultText(check: Extract<ChainCheck, { ok: false }>): [string, string] {
  const n = check.brokenAt;
  const what = `${check.entity ?? ""} ${check.entityId ?? ""}`.trim();
  switch (check.reason) {
    case "altered":
      return [`审计日志第 ${n} 条内容被篡改`, `audit entry ${n} was altered`];
    case "unlinked":
      return [
        `审计日志第 ${n} 条之前的记录被删除或插入`,
        `audit entry ${n} is not linked to the entry before it`,
      ];
    case "forged":
      return [
        `审计日志第 ${n} 条与密钥校验值不符：该条被篡改（哈希链已被重新计算），或其前的记录被删除（或审计密钥不是写入日志时的密钥）`,
        `audit entry ${n} does not match its keyed MAC: it was edited (and the hash chain recomputed), or an entry before it was removed (or the audit key is not the one that wrote the trail)`,
      ];
    case "unsealed":
      return [
        `审计日志第 ${n} 条没有密钥校验值：它不是由持有审计密钥的服务写入的（被插入）`,
        `audit entry ${n} has no keyed MAC: it was not written by a process holding the audit key (inserted)`,
      ];
    case "deleted":
      return [
        `审计日志第 ${n} 条被删除（其密钥校验值仍在）`,
        `audit entry ${n} was deleted (its keyed MAC remains)`,
      ];
    case "unkeyed":
      return [
        "审计日志中没有任何带密钥校验值的记录：密钥链被删除，或迁移后服务尚未启动过",
        "no audit entry has a keyed MAC: the keyed chain was removed, or the service has not started since the migration",
      ];
    case "truncated":
      return [
        `审计日志在检查点之前就结束了：自第 ${n} 条起的记录被删除`,
        `the audit trail ends before the checkpoint: the entries from ${n} on were deleted`,
      ];
    case "checkpoint":
      return [
        `审计日志第 ${n} 条与检查点记录的不同：检查点之后的日志被删除后重写`,
        `audit entry ${n} is not the one the checkpoint recorded: the trail was cut and rewritten after it`,
      ];
    case "content":
      return [
        `${what} 的内容与审计日志第 ${n} 条记录的哈希不符（被篡改）`,
        `${what} no longer has the content hash audit entry ${n} recorded (altered)`,
      ];
    case "removed":
      return [
        `${what} 已不存在（审计日志第 ${n} 条记录了它的创建）`,
        `${what} is gone (audit entry ${n} recorded it)`,
      ];
    case "unrecorded":
      return [
        `${what} 没有任何审计日志记录其创建（被插入）`,
        `${what} was created by no audit entry (inserted)`,
      ];
  }
}

function readCheckpointFile(file: string): Checkpoint {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new CliError(
      { file },
      bilingual("无法读取检查点文件", `cannot read the checkpoint file (${(e as Error).message})`),
    );
  }
  const checkpoint = parseCheckpoint(value);
  if (!checkpoint)
    throw new CliError({ file }, bilingual("不是 kaohe 审计检查点文件", "not a kaohe audit checkpoint file"));
  return checkpoint;
}

/** `kaohe audit verify [--checkpoint FILE]`: the whole trail, and that it still holds the checkpoint. */
export async function runAuditVerify({ values, lang, out }: CommandContext): Promise<number> {
  const checkpointFile = typeof values.checkpoint === "string" ? values.checkpoint : undefined;
  const checkpoint = checkpointFile ? readCheckpointFile(checkpointFile) : undefined;
  const check = await withDatabase(async (d) => {
    await d.migrate();
    return verifyAuditChain(d.db, checkpoint ? { checkpoint } : {});
  });
  if (!check.ok) {
    const [zh, en] = faultText(check);
    throw new CliError({}, bilingual(`${zh}（共 ${check.entries} 条）`, `${en} (${check.entries} entries)`));
  }
  const at = check.checkpoint
    ? [`；包含检查点第 ${check.checkpoint.seq} 条`, `; holds checkpoint entry ${check.checkpoint.seq}`]
    : ["", ""];
  out(
    lang === "zh-CN"
      ? `审计日志完好：${check.entries} 条（其中 ${check.sm3Entries} 条另经 SM3 校验，${check.sealedEntries} 条经密钥 HMAC 校验，${check.unsealedBefore} 条早于密钥链），链尾哈希 ${check.head}；计分结果 ${check.runs} 个、公示结果 ${check.publications} 个内容哈希一致（${check.unprotected} 个无内容哈希，未校验）${at[0]}`
      : `audit trail intact: ${check.entries} entries (${check.sm3Entries} also in SM3, ${check.sealedEntries} keyed, ${check.unsealedBefore} before the keyed chain), head hash ${check.head}; ${check.runs} scoring runs and ${check.publications} published views match their content hash (${check.unprotected} carry none)${at[1]}`,
  );
  return 0;
}

/** `kaohe audit checkpoint FILE`: the verified trail's head, for the audit administrator to keep. */
export async function runAuditCheckpoint({ positionals, lang, out }: CommandContext): Promise<number> {
  const file = positionals[0] as string;
  const checkpoint = await withDatabase(async (d) => {
    await d.migrate();
    // The head must itself verify: a checkpoint of a tampered trail would vouch for it.
    const check = await verifyAuditChain(d.db);
    if (!check.ok) throw new CliError({}, bilingual(...faultText(check)));
    return auditCheckpoint(d.db);
  });
  if (!checkpoint)
    throw new CliError(
      {},
      bilingual("审计日志尚无带密钥校验的记录", "the audit trail has no keyed entry yet"),
    );
  writeFileAtomically(file, Buffer.from(`${JSON.stringify(checkpoint, null, 2)}\n`));
  out(
    lang === "zh-CN"
      ? `已写出检查点 ${file}：第 ${checkpoint.seq} 条，HMAC ${checkpoint.mac}（请保存在数据库之外）`
      : `checkpoint written to ${file}: entry ${checkpoint.seq}, HMAC ${checkpoint.mac} (keep it away from the database)`,
  );
  return 0;
}

export async function runBackup({ positionals, lang, out }: CommandContext): Promise<number> {
  const file = positionals[0] as string;
  // Streamed to a temporary file beside FILE and renamed when whole (db/backup.ts backupToFile).
  const { bytes, rows } = await withDatabase(async (d) => {
    await d.migrate();
    return backupToFile(d.db, file);
  });
  out(
    lang === "zh-CN"
      ? `已备份到 ${file}（${rows} 行，${bytes} 字节）`
      : `backed up to ${file} (${rows} rows, ${bytes} bytes)`,
  );
  return 0;
}

/** Thrown inside the restore's transaction when the restored trail does not verify: it rolls back. */
class TrailRefused extends Error {}

export async function runRestore({ positionals, lang, out }: CommandContext): Promise<number> {
  const file = positionals[0] as string;
  try {
    closeSync(openSync(file, "r"));
  } catch (e) {
    throw new CliError({ file }, bilingual("无法读取文件", `cannot read file (${(e as Error).message})`));
  }
  await refuseNonBackup(file);
  const { rows, check } = await withDatabase(async (d) => {
    await d.migrate();
    let check: ChainCheck | undefined;
    try {
      const restored = await restoreFile(d.db, file, {
        // Inside the restore's transaction: a trail that does not verify leaves nothing restored.
        beforeCommit: async (tx) => {
          // A backup from before the keyed chain: begin it now, over the restored trail.
          await beginKeyedChain(tx);
          check = await verifyAuditChain(tx);
          if (!check.ok) throw new TrailRefused();
        },
      });
      return { ...restored, check: check as ChainCheck };
    } catch (e) {
      if (e instanceof TrailRefused && check && !check.ok)
        throw new CliError(
          { file },
          bilingual(
            `无法恢复：备份中的审计日志校验失败，未恢复任何数据：${faultText(check)[0]}`,
            `cannot restore: the backup's audit trail does not verify, nothing was restored: ${faultText(check)[1]}`,
          ),
        );
      if (e instanceof RestoreError)
        throw new CliError({ file }, bilingual(`无法恢复：${e.message}`, `cannot restore: ${e.message}`));
      throw e;
    }
  });
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
async function refuseNonBackup(file: string): Promise<void> {
  // The first bytes only: a backup of a province is gigabytes.
  const format = await backupFormat(createReadStream(file));
  if (format === undefined)
    throw new CliError(
      { file },
      bilingual(
        "无法恢复：不是 kaohe 备份文件（应为 gzip 压缩的 JSON）",
        "cannot restore: not a kaohe backup file (expected gzipped JSON)",
      ),
    );
  if (format !== BACKUP_FORMAT && format !== BACKUP_FORMAT_1)
    throw new CliError(
      { file },
      bilingual(
        `无法恢复：未知的备份格式 ${String(format)}`,
        `cannot restore: unknown backup format ${String(format)}`,
      ),
    );
}
