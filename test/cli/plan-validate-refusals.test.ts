import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli as cli } from "../helpers/run-cli.js";

/*
 * Issue 13's "kaohe plan validate names the node and the rule for every refusal, in both languages",
 * as a test generated from the engine: every refusal code the plan checks can give (read from their
 * source) has a case below, so a new check cannot ship without one. Each case breaks the city-scheme
 * example one way; validate must exit 1 naming the file and the place (node, unit, grade, office…) in
 * both languages, the rule said in each language's own words.
 */
const root = join(import.meta.dirname, "..", "..");
const example = JSON.parse(readFileSync(join(root, "examples", "city-scheme", "plan.json"), "utf8"));
const dir = mkdtempSync(join(tmpdir(), "kaohe-refusals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: a plan document edited freely, as an office would.
type Doc = any;
/** The node of the example's tree with this code. */
function node(plan: Doc, code: string): Doc {
  const walk = (list: Doc[]): Doc =>
    list.reduce<Doc>((found, n) => found ?? (n.code === code ? n : walk(n.children ?? [])), undefined);
  return walk(plan.indicators);
}

/** [the refusal's code (or "schema"), what breaks the plan, the place both languages must name]. */
const cases: [string, (p: Doc) => void, string][] = [
  [
    "PLAN_TOO_DEEP",
    (p) => {
      let leaf = node(p, "W1");
      for (let k = 0; k < 12; k++) {
        const { rule, ...rest } = leaf;
        leaf.children = [{ ...rest, code: `D${k}`, rule }];
        delete leaf.rule;
        leaf = leaf.children[0];
      }
    },
    "ZH > EVAL > WORK > … > D8",
  ],
  ["DUPLICATE_CODE", (p) => Object.assign(node(p, "W2"), { code: "W1" }), "W1"],
  [
    "MISSING_RULE",
    (p) => {
      delete node(p, "W1").rule;
    },
    "W1",
  ],
  ["RULE_ON_PARENT", (p) => Object.assign(node(p, "WORK"), { rule: { type: "mark" } }), "WORK"],
  ["ADJUSTMENT_NODE", (p) => Object.assign(node(p, "W3"), { adjustment: true, must: true }), "W3"],
  ["SCORED_BY_LEAD", (p) => Object.assign(node(p, "W1"), { scoredBy: "lead" }), "W1"],
  ["NO_TIES_NODE", (p) => Object.assign(node(p, "W1"), { noTies: "drop" }), "W1"],
  ["APPLIES_TO_NODE", (p) => Object.assign(node(p, "W1"), { appliesTo: [p.units[0]!.code] }), "W1"],
  ["VALUE_RULE", (p) => Object.assign(node(p, "GDP"), { values: { min: 60, max: 50 } }), "GDP"],
  ["MIXED_POINTS", (p) => Object.assign(node(p, "W1"), { points: undefined, weight: 1 }), "WORK"],
  [
    "NO_POINTS",
    (p) => {
      for (const c of ["W1", "W2", "W3"]) delete node(p, c).points;
      Object.assign(node(p, "W1"), { weight: 1 });
      Object.assign(node(p, "W2"), { weight: 1 });
    },
    "W3",
  ],
  ["POINTS_DO_NOT_ADD_UP", (p) => Object.assign(node(p, "W1"), { points: 45 }), "WORK"],
  [
    "WEIGHT_REQUIRED",
    (p) => {
      delete node(p, "MZ").weight;
    },
    "MZ",
  ],
  ["TIER_OVER_POINTS", (p) => Object.assign(node(p, "INV").rule.tiers[0], { points: 55 }), "INV"],
  ["RANK_RULE", (p) => Object.assign(node(p, "FIS").rule.step, { first: 50 }), "FIS"],
  ["COMPLETION_RULE", (p) => Object.assign(node(p, "GDP").rule, { below: "deduct" }), "GDP"],
  [
    "MISSING_TARGET",
    (p) => {
      delete node(p, "GDP").target;
    },
    "GDP",
  ],
  ["UNKNOWN_LEAD", (p) => Object.assign(node(p, "W1"), { lead: "zzj" }), "W1"],
  ["DUPLICATE_UNIT", (p) => p.units.push({ code: "ax", name: "安县二" }), "ax"],
  ["DUPLICATE_CATEGORY", (p) => p.categories.push({ code: "all", name: "又一类", units: [] }), "all"],
  ["UNKNOWN_UNIT", (p) => p.categories[0].units.push("zz"), "zz"],
  ["UNKNOWN_UNIT", (p) => Object.assign(p.targets.GDP, { zz: 5 }), "zz"],
  ["UNKNOWN_UNIT", (p) => Object.assign(node(p, "GDP_RANK").rule.table.ofByUnit, { zz: 9 }), "GDP_RANK"],
  ["UNKNOWN_UNIT", (p) => p.offices[0].units.push("zz"), "xyb"],
  ["UNIT_IN_TWO_CATEGORIES", (p) => p.categories.push({ code: "two", name: "二类", units: ["ax"] }), "ax"],
  ["STANDALONE_IN_CATEGORY", (p) => p.categories[0].units.push("kfq"), "kfq"],
  ["UNIT_WITHOUT_CATEGORY", (p) => p.categories[0].units.pop(), "nq"],
  ["DUPLICATE_OFFICE", (p) => Object.assign(p.offices[1], { code: "xyb" }), "xyb"],
  ["OFFICE_UNITS", (p) => Object.assign(p.offices[0], { category: "all" }), "xyb"],
  ["UNKNOWN_CATEGORY", (p) => Object.assign(p.offices[0], { units: undefined, category: "zz" }), "xyb"],
  ["UNKNOWN_CATEGORY", (p) => Object.assign(p.grades[0], { quotaByCategory: { zz: { count: 1 } } }), "zz"],
  ["UNIT_IN_TWO_OFFICES", (p) => p.offices[1].units.push("ax"), "ax"],
  ["UNKNOWN_INDICATOR", (p) => Object.assign(p.targets, { ZZ: { ax: 1 } }), "ZZ"],
  ["UNKNOWN_INDICATOR", (p) => Object.assign(p, { ranking: { ties: "breakers", breakers: ["ZZ"] } }), "ZZ"],
  ["UNKNOWN_INDICATOR", (p) => Object.assign(p.bonus[0], { node: "ZZ" }), "award"],
  ["DUPLICATE_CODE", (p) => Object.assign(p.bonus[0], { code: "GDP" }), "GDP"],
  ["DUPLICATE_GRADE", (p) => p.grades.push({ code: "合格" }), "合格"],
  ["QUOTA_OVER_100", (p) => Object.assign(p.grades[0].quota, { share: 1.5 }), "优秀"],
  ["LAST_GRADE", (p) => Object.assign(p.grades[2], { quota: { count: 1 } }), "合格"],
  ["UNKNOWN_GRADE", (p) => Object.assign(p.vetoes[0], { grade: "特优" }), "safety"],
  ["UNKNOWN_GRADE", (p) => Object.assign(p.vetoes[0], { ineligible: ["特优"] }), "safety"],
  ["UNKNOWN_GRADE", (p) => Object.assign(p.titles[0], { requiresGrade: "特优" }), "先进单位"],
  ["VETO_LEVELS", (p) => Object.assign(p.vetoes[1], { triggeredBy: ["差"] }), "sp"],
  [
    "NO_COMMENDATION_MARKED",
    (p) => Object.assign(p, { noCommendation: [{ unit: "ax", reason: "上年度违规" }] }),
    "noCommendation",
  ],
  [
    "UNKNOWN_UNIT",
    (p) => {
      p.titles[0].commendation = true;
      p.noCommendation = [{ unit: "zz", reason: "上年度违规" }];
    },
    "noCommendation[0]",
  ],
  ["schema", (p) => Object.assign(node(p, "W1"), { rule: { type: "lottery" } }), "W1"],
  ["schema", (p) => Object.assign(node(p, "W1"), { pionts: 3 }), "W1"],
  ["schema", (p) => Object.assign(node(p, "W1"), { points: -3 }), "W1"],
  ["schema", (p) => Object.assign(p.penalties[1], { perOccurrence: 1 }), "penalties[1]"],
  ["schema", (p) => Object.assign(p.bonus[0].levels, { 倒扣: -1 }), "bonus[0].levels"],
  ["schema", (p) => Object.assign(node(p, "W1"), { name: "" }), "W1"],
  ["schema", (p) => Object.assign(node(p, "WORK"), { children: [] }), "WORK"],
  ["schema", (p) => Object.assign(p.vetoes[1], { levels: [] }), "vetoes[1].levels"],
];

/** Every refusal code the plan's own checks give, read from the files that give them. */
function engineRefusalCodes(): Set<string> {
  const files = ["structure", "offices", "value-rules", "leads", "depth", "commendation"];
  const codes = new Set<string>();
  for (const f of files) {
    const text = readFileSync(join(root, "src", "engine", "plan", `${f}.ts`), "utf8");
    for (const m of text.matchAll(/(?:nodeError|engineError|officeError)\(\s*"([A-Z_0-9]+)"/g))
      codes.add(m[1]!);
  }
  // Value problems are refusals of data, not of a plan: the data tests name their cells.
  for (const data of [
    "BAD_YESNO",
    "BAD_RANK",
    "MARK_OUT_OF_RANGE",
    "VALUE_OUT_OF_RANGE",
    "TOO_MANY_DECIMALS",
  ])
    codes.delete(data);
  return codes;
}

describe("kaohe plan validate: every refusal names its place and rule, in both languages", () => {
  it("has a case for every refusal code of the plan checks", () => {
    const covered = new Set(cases.map(([code]) => code));
    expect([...engineRefusalCodes()].filter((c) => !covered.has(c))).toEqual([]);
  });

  it.each(cases.map(([code, change, place], k) => [code, place, change, k] as const))(
    "%s, naming %s",
    async (_code, place, change, k) => {
      const plan = structuredClone(example);
      change(plan);
      const file = `case-${k}.json`;
      writeFileSync(join(dir, file), JSON.stringify(plan));
      const zh = await cli(["plan", "validate", join(dir, file)], "zh-CN");
      const en = await cli(["plan", "validate", join(dir, file)], "en");
      for (const r of [zh, en]) {
        expect(r.code).toBe(1);
        expect(r.out).toBe("");
      }
      expect(zh.err.startsWith(`${file}：`)).toBe(true);
      expect(en.err.startsWith(`${file}: `)).toBe(true);
      expect(zh.err).toContain(place);
      expect(en.err).toContain(place);
      // The rule in each language's words: Chinese prose in zh, none of its punctuation in en.
      // (Names in brackets, such as a node's Chinese name beside its path, do not count as the rule.)
      expect(zh.err.slice(file.length).replace(/（[^）]*）/g, "")).toMatch(/[\u4e00-\u9fff]{2}/);
      expect(en.err.replace(/（[^）]*）/g, "")).not.toMatch(/[：，。；]/);
      expect(en.err).toMatch(/[a-z]{3} [a-z]{2,}/);
    },
  );
});
