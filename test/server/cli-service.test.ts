import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
const dir = mkdtempSync(join(tmpdir(), "kaohe-data-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kaohe(...args: string[]) {
  // PGlite in a data directory of its own: this runs whether or not the suite targets PostgreSQL.
  const env = { ...process.env, KAOHE_DATA_DIR: dir, KAOHE_LANG: "en", DATABASE_URL: "" };
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
});
