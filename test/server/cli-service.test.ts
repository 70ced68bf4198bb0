import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
const dir = mkdtempSync(join(tmpdir(), "kaohe-data-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.audit-key`, { force: true }); // the embedded default key file, beside the data directory
});

function kaohe(...args: string[]) {
  return kaoheIn("en", ...args);
}
function kaoheIn(lang: string, ...args: string[]) {
  // PGlite in a data directory of its own: this runs whether or not the suite targets PostgreSQL.
  const env = { ...process.env, KAOHE_DATA_DIR: dir, KAOHE_LANG: lang, DATABASE_URL: "" };
  return spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env, timeout: 60_000 });
}

describe("kaohe db migrate and kaohe audit verify on an embedded data directory", () => {
  it("migrates, then verifies an (empty) intact audit trail", () => {
    const migrate = kaohe("db", "migrate");
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain("migrations applied");
    const verify = kaohe("audit", "verify");
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toContain("audit trail intact: 0 entries");
  });

  it("a data directory in use by another process is a clear error, not a crash", async () => {
    const holder = spawn("sleep", ["30"]);
    try {
      writeFileSync(join(dir, "kaohe.lock"), String(holder.pid));
      const zh = kaoheIn("zh-CN", "audit", "verify");
      expect(zh.status).toBe(1);
      expect(zh.stderr.trim()).toBe(
        `数据目录 ${dir} 已被进程 ${holder.pid} 使用（嵌入式数据库只允许一个进程；多个进程请用 DATABASE_URL 连接 PostgreSQL）`,
      );
      const en = kaohe("backup", join(dir, "b.gz"));
      expect(en.status).toBe(1);
      expect(en.stderr).toContain(`is in use by process ${holder.pid}`);
      expect(en.stderr).not.toContain("    at "); // no stack trace
    } finally {
      holder.kill();
      await new Promise((r) => holder.once("exit", r));
      rmSync(join(dir, "kaohe.lock"), { force: true });
    }
  });
});
