import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli as cli } from "../helpers/run-cli.js";

/*
 * kaohe plan carry, end to end: the city-scheme example's 2024 run records 市发改委 (fgw)'s tied scores
 * on BIZ_SAT; carried into the city departments' 2025 plan, fgw is first there but is withheld its 优秀
 * and 先进单位 (both marked commendation), with the reason in its explanation in both languages.
 */
const folder = join(import.meta.dirname, "..", "..", "examples", "city-scheme");
const dir = mkdtempSync(join(tmpdir(), "kaohe-carry-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const next = join(folder, "departments-2025.json");
const nextData = join(folder, "departments-2025.csv");
const run2024 = join(dir, "2024.json");
const carried = join(dir, "departments-2025.json");

async function scoreYearOne() {
  const r = await cli([
    "score",
    "--plan",
    join(folder, "plan.json"),
    "--data",
    join(folder, "values.csv"),
    "--format",
    "json",
    "--out",
    run2024,
  ]);
  expect(r.code).toBe(0);
}

describe("kaohe plan carry", () => {
  it("a breach in 2024 withholds the department's title and top grade in 2025", async () => {
    await scoreYearOne();
    const before = await cli(["score", "--plan", next, "--data", nextData, "--explain", "fgw"], "zh-CN");
    expect(before.out).toMatch(/第 1 名（共 4 个）；等次 优秀；先进单位/);

    const carry = await cli(["plan", "carry", "--from", run2024, "--plan", next, "--out", carried], "zh-CN");
    expect(carry).toMatchObject({ code: 0, err: "" });
    expect(carry.out).toBe(
      "fgw：取消评优评先资格，考核期 2024（方案 city-scheme-2024 第 1 版）作为牵头部门对指标 BIZ_SAT 评分未拉开档次",
    );
    const plan = JSON.parse(readFileSync(carried, "utf8"));
    const hash = JSON.parse(readFileSync(run2024, "utf8")).inputHash.run;
    expect(plan.noCommendation).toEqual([
      expect.objectContaining({
        unit: "fgw",
        source: {
          plan: "city-scheme-2024",
          planVersion: 1,
          period: "2024",
          run: hash,
          breach: "LEAD_TIED_SCORES",
          indicator: "BIZ_SAT",
        },
      }),
    ]);
    const valid = await cli(["plan", "validate", carried], "zh-CN");
    expect(valid.code).toBe(0);
    expect(valid.out).toMatch(/4 个单位，1 个类别，1 个单位取消评优评先资格，满分 100 分$/);

    const zh = await cli(["score", "--plan", carried, "--data", nextData, "--explain", "fgw"], "zh-CN");
    expect(zh.out).toMatch(/第 1 名（共 4 个）；等次 良好\n/);
    expect(zh.out).toContain(
      "等次：取消评优评先资格（考核期 2024（方案 city-scheme-2024 第 1 版）作为牵头部门对指标 BIZ_SAT 评分未拉开档次）：不得评为 优秀",
    );
    expect(zh.out).toContain("：不得授予 先进单位");
    const en = await cli(["score", "--plan", carried, "--data", nextData, "--explain", "fgw"], "en");
    expect(en.out).toContain(
      "grade: commendation withheld (as lead department, gave tied scores on indicator BIZ_SAT in period 2024 (plan city-scheme-2024 version 1)): not eligible for 优秀",
    );
    expect(en.out).toContain("not eligible for the title 先进单位");
    // 优秀's one place goes to the next department; the title (top 1) goes to nobody.
    const csv = (await cli(["score", "--plan", carried, "--data", nextData])).out.split("\n");
    expect(
      csv.filter((l) => l.startsWith("jxj,") || l.startsWith("fgw,")).map((l) => l.split(",")[9]),
    ).toEqual(["良好", "优秀"]);

    // Carrying again adds nothing, and says so.
    const again = await cli(["plan", "carry", "--from", run2024, "--plan", carried], "en");
    expect(again.code).toBe(0);
    expect(again.err).toBe(
      "plan city-departments-2025 (departments-2025.json) already carries these: unchanged",
    );
    expect(JSON.parse(again.out).noCommendation).toHaveLength(1);
  });

  it("refuses a plan that withholds from a unit it does not have, naming the entry, in both languages", async () => {
    const plan = JSON.parse(readFileSync(next, "utf8"));
    plan.noCommendation = [
      { unit: "fgw", reason: "x" },
      { unit: "zzb", reason: "上年度违规" },
    ];
    const path = join(dir, "unknown.json");
    writeFileSync(path, JSON.stringify(plan));
    const zh = await cli(["plan", "validate", path], "zh-CN");
    expect(zh).toMatchObject({
      code: 1,
      err: "unknown.json：取消评优评先资格 noCommendation[1] 中的单位 zzb 不在方案的单位列表中",
    });
    const en = await cli(["plan", "validate", path], "en");
    expect(en.err).toBe(
      "unknown.json: noCommendation[1] (withheld commendation): unit zzb is not a unit of the plan",
    );
  });

  it("refuses a run of the wrong period, a plan that assesses no breaching department, and a file that is no run", async () => {
    await scoreYearOne();
    const county = join(import.meta.dirname, "..", "..", "examples", "county-districts", "plan.json");
    const period = await cli(["plan", "carry", "--from", run2024, "--plan", county], "en");
    expect(period).toMatchObject({
      code: 1,
      err: "2024.json: the run's period 2024 is not the one before plan county-districts-2023's (2023, previous 2022)",
    });
    const plan = JSON.parse(readFileSync(join(folder, "plan.json"), "utf8"));
    plan.period = { key: "2025", previous: "2024" };
    const same = join(dir, "city-scheme-2025.json");
    writeFileSync(same, JSON.stringify(plan));
    const none = await cli(["plan", "carry", "--from", run2024, "--plan", same], "zh-CN");
    expect(none.code).toBe(1);
    expect(none.err).toContain("违规的牵头部门 fgw 都不是方案 city-scheme-2024 的考核单位，没有可结转的");
    // A run read from the server ({ id, …, result }) carries the same.
    const served = join(dir, "served.json");
    writeFileSync(served, JSON.stringify({ id: "r1", result: JSON.parse(readFileSync(run2024, "utf8")) }));
    const fromServer = await cli(["plan", "carry", "--from", served, "--plan", next], "en");
    expect(fromServer.code).toBe(0);
    expect(JSON.parse(fromServer.out).noCommendation.map((e: { unit: string }) => e.unit)).toEqual(["fgw"]);
    const notRun = await cli(["plan", "carry", "--from", next, "--plan", next], "en");
    expect(notRun).toMatchObject({ code: 1 });
    expect(notRun.err).toMatch(/^departments-2025\.json: not a scoring run/);
    expect((await cli(["plan", "carry", "--plan", next])).code).toBe(2);
  });
});
