import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { districtsPlan } from "../helpers/districts-plan.js";
import { runCli as cli } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "kaohe-leads-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two districts; 营商环境 scored by 发改委 (fgw) for both, with 拉开档次. */
const plan = (extra: Record<string, unknown>) =>
  districtsPlan(
    "leads",
    [
      {
        code: "BIZ",
        name: "营商环境",
        points: 100,
        lead: "fgw",
        scoredBy: "lead",
        children: [
          { code: "SVC", name: "政务服务", points: 60, rule: { type: "mark", markMax: 60 } },
          {
            code: "SAT",
            name: "企业满意度",
            points: 40,
            noTies: "drop",
            rule: { type: "mark", markMax: 40 },
          },
        ],
      },
    ],
    extra,
  );

function files(name: string, extra: Record<string, unknown>) {
  const planPath = join(dir, `${name}.json`);
  const dataPath = join(dir, `${name}.csv`);
  writeFileSync(planPath, JSON.stringify(plan(extra)));
  writeFileSync(
    dataPath,
    "unit,indicator,period,value\nd1,SVC,2025,54\nd2,SVC,2025,48\nd1,SAT,2025,30\nd2,SAT,2025,30\n",
  );
  return { planPath, dataPath };
}

describe("kaohe score: lead departments checked against the plan, ties recorded", () => {
  it("a lead that is neither a unit nor in organisations is refused, naming the indicator, in both languages", async () => {
    const { planPath, dataPath } = files("unknown", {});
    const zh = await cli(["--lang", "zh-CN", "score", "--plan", planPath, "--data", dataPath]);
    expect(zh.code).not.toBe(0);
    expect(zh.err).toContain("指标 BIZ 的牵头部门 fgw 不是方案中的单位，也不在方案的 organisations 中");
    const en = await cli(["--lang", "en", "plan", "validate", planPath]);
    expect(en.code).not.toBe(0);
    expect(en.err).toContain("the lead department fgw of indicator BIZ is neither a unit of the plan");
  });

  it("with fgw in organisations the plan scores; the tie on SAT drops it and BIZ is rescaled to SVC", async () => {
    const { planPath, dataPath } = files("listed", { organisations: [{ code: "fgw", name: "市发改委" }] });
    const r = await cli(["score", "--plan", planPath, "--data", dataPath, "--format", "json"]);
    expect(r.code).toBe(0);
    const run = JSON.parse(r.out);
    expect(run.units.map((u: { total: number }) => u.total)).toEqual([90, 80]); // 100 × 54/60, 100 × 48/60
    expect(run.breaches).toMatchObject([
      {
        code: "LEAD_TIED_SCORES",
        lead: "fgw",
        indicator: "SAT",
        applied: "drop",
        ties: [{ points: 30, units: ["d1", "d2"] }],
      },
    ]);
  });
});
