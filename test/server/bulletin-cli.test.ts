import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, readAuditKey } from "../../src/server/config.js";
import { openDatabase } from "../../src/server/db/client.js";
import { seedExampleDemo } from "../../src/server/demo.js";
import { setAuditKey } from "../../src/server/modules/audit/service.js";
import { testAuditKey } from "../helpers/database.js";

/**
 * `kaohe bulletin --plan PLAN --unit UNIT [--run RUN]` on the service's database (docs/bulletins.md):
 * the demo seeded into an embedded data directory, then the command line reads the bulletin of 市科技局
 * from it as the service drafts it. (The built CLI: `npm run build` first, as for cli-service.test.ts.)
 */
const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
const dir = mkdtempSync(join(tmpdir(), "kaohe-bulletin-"));

const kaohe = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env: { ...process.env, KAOHE_DATA_DIR: dir, KAOHE_LANG: "en", DATABASE_URL: "" },
    timeout: 60_000,
  });

beforeAll(async () => {
  const config = loadConfig({ KAOHE_DATA_DIR: dir });
  setAuditKey(() => readAuditKey(config.auditKey));
  const database = await openDatabase({ dataDir: dir });
  await database.migrate();
  try {
    await seedExampleDemo(database.db);
  } finally {
    await database.close();
    // The key is the test process's for every later file (server tests share one process): put it back.
    setAuditKey(Buffer.from(testAuditKey, "utf8"));
  }
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.audit-key`, { force: true });
});

describe("kaohe bulletin from the database", () => {
  it("drafts the unit's bulletin from the plan's published run, by plan code, as JSON with its facts", () => {
    const r = kaohe("bulletin", "--plan", "city-departments-2022", "--unit", "kjj", "--format", "json");
    expect(r.status, r.stderr).toBe(0);
    const b = JSON.parse(r.stdout);
    expect(b.title["zh-CN"]).toMatch(
      /^喜报！市科技局荣获2022年度市直单位工作目标责任制考核优秀单位及优胜单位！$/,
    );
    expect(b.highlights.map((s: { "zh-CN": string }) => s["zh-CN"])).toContain(
      "省级对口考核位次由第五位提升至第四位",
    );
    expect(b.highlights[0].facts).toContainEqual({ id: "A3", field: "rank", value: 5, year: 2021 });
    const md = kaohe("bulletin", "--plan", "city-departments-2022", "--unit", "kjj");
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toContain("# Good news: S&T Bureau was rated Excellent Unit");
    expect(md.stdout).toContain("[^e1]:");
  });

  it("names what is wrong: an unknown plan, a unit not in the run, a run that is not an id, mixed modes", () => {
    const plan = kaohe("bulletin", "--plan", "nope", "--unit", "kjj");
    expect(plan.status).toBe(1);
    expect(plan.stderr).toContain("no plan nope");
    const unit = kaohe("bulletin", "--plan", "city-departments-2022", "--unit", "nobody");
    expect(unit.status).toBe(1);
    expect(unit.stderr).toContain("unit nobody is not in this scoring run");
    const run = kaohe("bulletin", "--plan", "city-departments-2022", "--unit", "kjj", "--run", "x");
    expect(run.status).toBe(2);
    const both = kaohe("bulletin", "--plan", "p", "--unit", "u", "--data", "f.csv");
    expect(both.status).toBe(2);
    expect(both.stderr).toContain("not both");
    const missing = kaohe("bulletin", "--plan", "p");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("missing --unit");
  });
});
