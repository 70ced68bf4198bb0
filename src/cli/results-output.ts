import type { Lang, NodeTrace, ScoringRun, UnitOffice, UnitResult } from "../engine/index.js";
import { numberCell, toCsv } from "./csv.js";

const num = (v: number | null) => (v === null ? "" : numberCell(v, false));

/** results.csv: one row per unit (plan order), then one column per indicator node. */
export function resultsCsv(run: ScoringRun): string {
  // 汇总部门: columns only for a plan with offices, so every other plan's file is as it was.
  const offices = run.units.some((u) => u.office !== undefined);
  const header = [
    "unit",
    "name",
    "category",
    ...(offices ? ["office"] : []),
    "total",
    "base",
    "bonus",
    "penalty",
    "rank",
    "rankOf",
    ...(offices ? ["officeRank", "officeRankOf"] : []),
    "grade",
    "gradeByRules",
    "override",
    "titles",
    "vetoes",
    "failedMust",
    ...run.nodes,
  ];
  const rows = run.units.map((u) => [
    u.unit,
    u.name,
    u.category ?? "",
    ...(offices ? [u.office?.code ?? ""] : []),
    num(u.total),
    num(u.base),
    num(u.bonus),
    num(u.penalty),
    num(u.rank),
    num(u.rankOf),
    ...(offices ? [num(u.office?.rank ?? null), num(u.office?.rankOf ?? null)] : []),
    u.grade ?? "",
    u.gradeByRules ?? "",
    u.override ? `${u.override.grade}: ${u.override.reason}` : "",
    u.titles.join(";"),
    u.vetoes.join(";"),
    u.failedMust.join(";"),
    ...run.nodes.map((code) => num(u.scores[code] ?? null)),
  ]);
  return toCsv(header, rows);
}

/** "；汇总部门 市委县域办（第 1 名，共 3 个）": the office that collects the unit, and its rank there if it ranks. */
function officeText(office: UnitOffice, zh: boolean): string {
  const rank =
    office.rank === null
      ? ""
      : zh
        ? `（第 ${office.rank} 名，共 ${office.rankOf} 个）`
        : ` (rank ${office.rank} of ${office.rankOf})`;
  return zh ? `；汇总部门 ${office.name}${rank}` : `; office ${office.name}${rank}`;
}

const p2 = (x: number) => String(Math.round(x * 100) / 100);

/** The whole explanation of one unit's result, as indented text in the user's language. */
export function explainUnit(run: ScoringRun, unit: UnitResult, lang: Lang): string {
  const zh = lang === "zh-CN";
  const lines: string[] = [];
  const place =
    unit.rank === null
      ? zh
        ? "单列"
        : "standalone"
      : zh
        ? `${unit.categoryName} 第 ${unit.rank} 名（共 ${unit.rankOf} 个）`
        : `rank ${unit.rank} of ${unit.rankOf} in ${unit.categoryName}`;
  const office = unit.office?.code ? officeText(unit.office, zh) : "";
  lines.push(
    zh
      ? `${unit.name}（${unit.unit}）：总分 ${p2(unit.total)} = 基本分 ${p2(unit.base)} + 加分 ${p2(unit.bonus)} − 扣分 ${p2(unit.penalty)}；${place}${office}；等次 ${unit.grade ?? "—"}${unit.titles.length ? `；${unit.titles.join("、")}` : ""}`
      : `${unit.name} (${unit.unit}): total ${p2(unit.total)} = base ${p2(unit.base)} + bonus ${p2(unit.bonus)} - penalty ${p2(unit.penalty)}; ${place}${office}; grade ${unit.grade ?? "-"}${unit.titles.length ? `; ${unit.titles.join(", ")}` : ""}`,
  );
  const walk = (t: NodeTrace, depth: number) => {
    lines.push(
      `${"  ".repeat(depth + 1)}${t.node} ${t.name}：${t.text[lang]}`.replace("：", zh ? "：" : ": "),
    );
    for (const c of t.children ?? []) walk(c, depth + 1);
  };
  for (const t of unit.trace) walk(t, 0);
  for (const a of unit.adjustments) lines.push(`  ${a.text[lang]}`);
  for (const r of unit.gradeReasons)
    lines.push(`  ${zh ? "等次" : "grade"}：${r[lang]}`.replace("：", zh ? "：" : ": "));
  lines.push(
    zh
      ? `  （引擎 ${run.engineVersion}，输入哈希 ${run.inputHash.run.slice(0, 16)}…）`
      : `  (engine ${run.engineVersion}, input hash ${run.inputHash.run.slice(0, 16)}...)`,
  );
  return lines.join("\n");
}
