import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli as cli } from "../helpers/run-cli.js";

/*
 * examples/city-scheme: a published 考核办法 using every rule of issue 13, scored by `kaohe score` and
 * checked against totals worked out by hand (the arithmetic is in examples/city-scheme/README.md).
 */
const folder = join(import.meta.dirname, "..", "..", "examples", "city-scheme");
const plan = join(folder, "plan.json");
const data = join(folder, "values.csv");
const dir = mkdtempSync(join(tmpdir(), "kaohe-city-scheme-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const score = (...more: string[]) => cli(["score", "--plan", plan, "--data", data, ...more]);

/** results.csv as records by unit. */
function records(csv: string): Record<string, Record<string, string>> {
  const [header, ...rows] = csv
    .trim()
    .split("\n")
    .map((l) => l.split(","));
  return Object.fromEntries(
    rows.map((r) => [r[0]!, Object.fromEntries(header!.map((h, k) => [h, r[k] ?? ""]))] as const),
  );
}

describe("the city-scheme example, scored by hand", () => {
  it("validates: 100 points in full marks, the rank table and the items outside them", async () => {
    const r = await cli(["plan", "validate", plan]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/, 7 units, 1 categories, 2 offices, 100 points$/);
  });

  it("plan validate refuses a unit in two offices, naming both, in either language", async () => {
    const twice = JSON.parse(readFileSync(plan, "utf8"));
    twice.offices[1].units.push("ax");
    const path = join(dir, "twice.json");
    writeFileSync(path, JSON.stringify(twice));
    const en = await cli(["plan", "validate", path]);
    expect(en.code).toBe(1);
    expect(en.err).toContain(
      "unit ax is collected by two offices, office xyb (county economy office) and office cqb (urban districts office): a unit has one office",
    );
    const zh = await cli(["plan", "validate", path], "zh-CN");
    expect(zh.err).toContain(
      "单位 ax 同时由汇总部门 xyb（市县域经济发展办公室）和汇总部门 cqb（市城区工作办公室）汇总，一个单位只能由一个汇总部门汇总",
    );
  });

  it("gives the totals, ranks, grades and titles worked out by hand", async () => {
    const r = await score();
    expect(r.code).toBe(0);
    const u = records(r.out);
    // 安县: SET 141 + 114 + 75 = 330 of 345; EVAL 100 × (0.8 × 74.8/80 + 0.2 × 18/20) = 92.8.
    const ax = 100 * (0.7 * (330 / 345) + 0.3 * (92.8 / 100));
    // 东区: ECON 60 × 5.0/5.5 + 40 + 32 + 4; SOC 2 × 28.5 + 60; ENV 45 × 85.8/88 + 30 − 2.
    const dqSet = (60 * 5.0) / 5.5 + 40 + 32 + 4 + (57 + 60) + ((45 * 85.8) / 88 + 30 - 2);
    const dq = 100 * (0.7 * (dqSet / 345) + 0.3 * ((100 * (0.8 * (78.35 / 80) + 0.2 * (17 / 20))) / 100));
    // 南区: SET 123 + 96 + 41 = 260; EVAL 78.2; then the province's 1.5 taken as given.
    const nqBase = 100 * (0.7 * (260 / 345) + 0.3 * (78.2 / 100));
    expect(Number(u.ax!.total)).toBeCloseTo(ax, 8);
    expect(Number(u.dq!.SET)).toBeCloseTo(dqSet, 8);
    expect(Number(u.dq!.total)).toBeCloseTo(dq, 8);
    expect(Number(u.nq!.base)).toBeCloseTo(nqBase, 8);
    expect(Number(u.nq!.total)).toBeCloseTo(nqBase - 1.5, 8);
    expect([ax, dq, nqBase - 1.5].map((x) => x.toFixed(2))).toEqual(["94.80", "93.41", "74.71"]);
    // Node points by hand: the rank table at ECON, the bonus on WORK (3 + 2 capped at 3), the penalty on ENV.
    expect([u.ax!.ECON, u.ax!.BIZ, u.ax!.WORK, u.ax!.EVAL]).toEqual(["141", "54", "74.8", "92.8"]);
    expect([u.dq!.GDP_RANK, u.dq!.WORK, u.dq!.ENV, u.dq!.EVAL]).toEqual(["4", "78.35", "71.875", "95.35"]);
    expect([u.nq!.FIS, u.nq!.GDP_RANK, u.nq!.ENV, u.nq!.penalty]).toEqual(["16", "-3", "41", "1.5"]);
    const row = (code: string) => {
      const { rank, grade, titles, vetoes, office, officeRank } = u[code]!;
      return [rank, grade, titles, vetoes, office, officeRank];
    };
    expect(row("ax")).toEqual(["1", "优秀", "先进单位", "", "xyb", ""]);
    // The safety veto bars 优秀 (requires noVeto) and the title 先进单位, though 东区 is second.
    expect(row("dq")).toEqual(["2", "良好", "", "safety", "cqb", "1"]);
    // 北县's 双评 rating of 较差 bars 优秀 although its 85.24 reaches 85 and a place is left.
    expect(row("bx")).toEqual(["3", "良好", "", "sp", "xyb", ""]);
    expect(row("nq")).toEqual(["5", "合格", "", "", "cqb", "2"]);
    // Below the last grade's minimum: no grade. The zone is 单列: collected by cqb, not ranked.
    expect(row("dx")).toEqual(["6", "", "", "", "xyb", ""]);
    expect(row("kfq")).toEqual(["", "", "", "", "cqb", ""]);
  });

  it("records the commission's tied scores and drops the item from the total", async () => {
    const run = JSON.parse((await score("--format", "json")).out);
    expect(run.breaches).toMatchObject([
      { lead: "fgw", indicator: "BIZ_SAT", applied: "drop", ties: [{ points: 26.4, units: ["ax", "bx"] }] },
    ]);
    const dq = run.units.find((x: { unit: string }) => x.unit === "dq");
    expect(dq.office).toEqual({ code: "cqb", name: "市城区工作办公室", rank: 1, rankOf: 2 });
  });

  it("explains each rule at its place, in both languages", async () => {
    const zh = (await cli(["score", "--plan", plan, "--data", data, "--explain", "dq"], "zh-CN")).out;
    expect(zh).toContain(
      "东区（dq）：总分 93.41 = 基本分 93.41 + 加分 0 − 扣分 0；县（市、区） 第 2 名（共 6 个）；汇总部门 市城区工作办公室（第 1 名，共 2 个）；等次 良好",
    );
    expect(zh).toContain(
      "ZH 综合得分：按权重折算：SET 得分率 92.6% × 权重 0.7 + EVAL 得分率 95.3% × 权重 0.3 = 93.4%，乘以本项分值 100",
    );
    expect(zh).toContain("等次：一票否决（重大安全生产责任事故）：不得授予 先进单位");
    const en = (await score("--explain", "nq")).out;
    expect(en).toContain("office 市城区工作办公室 (rank 2 of 2); grade 合格");
    expect(en).toContain("penalty 省对市考核扣分（按省扣分）: 1.5 points deducted as given, -1.5");
    expect(en).toContain(
      "GDP_RANK 地区生产总值增速全省位次加减分: ranked 35: adjustment -3 (outside full marks)",
    );
    const dx = (await score("--explain", "dx")).out;
    expect(dx).toContain("grade: total 54.95 is below the lowest grade 合格's 60: no grade");
  });

  it("--office shows the units one office collects, and names an office the plan lacks", async () => {
    const r = await score("--office", "cqb");
    expect(r.code).toBe(0);
    expect(Object.keys(records(r.out))).toEqual(["dq", "nq", "kfq"]);
    const wrong = await score("--office", "zzb");
    expect(wrong.code).toBe(2);
    expect(wrong.err).toBe("no office zzb in the plan (its offices: xyb, cqb)");
  });
});
