import type { IndicatorSpec, Lang, RuleType } from "../../../engine/index.js";
import { RULE_TYPES, startRule } from "./rules.js";

/**
 * The 指标体系 sheet (the form 考核办 circulate): one row per indicator in tree order, its level, code,
 * name, points, weight, rule and target in columns; what has no column of its own (the rule's
 * parameters, evidence, value rules…) as JSON, so a sheet read back gives the same tree.
 */
export const SHEET_NAME = "指标体系";
const SHEET_COLUMNS = [
  "层级",
  "代码",
  "名称",
  "英文名称",
  "分值",
  "权重",
  "汇总方式",
  "计分规则",
  "目标值",
  "计量单位",
  "方向",
  "必达指标",
  "加减分项",
  "牵头部门",
  "规则参数",
  "其他",
] as const;

export type Cell = string | number | null;
type Own = Omit<IndicatorSpec, "children">;

const OWN_COLUMNS = new Set([
  "code",
  "name",
  "nameEn",
  "points",
  "weight",
  "combine",
  "rule",
  "target",
  "unit",
  "direction",
  "must",
  "adjustment",
  "lead",
]);

/** The tree as rows (the header first). */
export function indicatorRows(indicators: readonly IndicatorSpec[]): Cell[][] {
  const rows: Cell[][] = [[...SHEET_COLUMNS]];
  const walk = (spec: IndicatorSpec, depth: number) => {
    const { children, ...own } = spec;
    const other = Object.fromEntries(Object.entries(own).filter(([k]) => !OWN_COLUMNS.has(k)));
    rows.push([
      depth,
      own.code,
      own.name,
      own.nameEn ?? null,
      own.points ?? null,
      own.weight ?? null,
      own.combine ?? null,
      own.rule?.type ?? null,
      own.target ?? null,
      own.unit ?? null,
      own.direction ?? null,
      own.must === undefined ? null : own.must ? "是" : "否",
      own.adjustment === undefined ? null : own.adjustment ? "是" : "否",
      own.lead ?? null,
      own.rule ? JSON.stringify(own.rule) : null,
      Object.keys(other).length > 0 ? JSON.stringify(other) : null,
    ]);
    for (const c of children ?? []) walk(c, depth + 1);
  };
  for (const spec of indicators) walk(spec, 1);
  return rows;
}

export type SheetResult =
  | { ok: true; indicators: IndicatorSpec[] }
  | { ok: false; error: { row: number; column: string | null; message: Record<Lang, string> } };

const fail = (row: number, column: string | null, zh: string, en: string): SheetResult => ({
  ok: false,
  error: {
    row,
    column,
    message: {
      "zh-CN": `指标体系表第 ${row} 行${column ? `“${column}”列` : ""}：${zh}`,
      en: `sheet 指标体系, row ${row}${column ? `, column ${column}` : ""}: ${en}`,
    },
  },
});

/** Rows of the sheet (the header first) back to the tree; a fault names its row and column. */
export function readIndicatorRows(rows: readonly (readonly Cell[])[]): SheetResult {
  const header = (rows[0] ?? []).map((c) => String(c ?? "").trim());
  const col = new Map(header.map((h, i) => [h, i]));
  for (const c of ["层级", "代码", "名称"])
    if (!col.has(c)) return fail(1, c, "缺少此列", "the column is missing");
  const roots: IndicatorSpec[] = [];
  const stack: IndicatorSpec[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const line = r + 1;
    const get = (name: (typeof SHEET_COLUMNS)[number]): Cell => {
      const i = col.get(name);
      const v = i === undefined ? null : (row[i] ?? null);
      return v === "" ? null : v;
    };
    if (row.every((c) => c === null || c === "")) continue;
    const num = (name: (typeof SHEET_COLUMNS)[number]): number | undefined | string => {
      const v = get(name);
      if (v === null) return undefined;
      const n = typeof v === "number" ? v : Number(v);
      return Number.isFinite(n) ? n : name;
    };
    const json = (name: (typeof SHEET_COLUMNS)[number]): Record<string, unknown> | undefined | null => {
      const v = get(name);
      if (v === null) return undefined;
      try {
        const parsed = JSON.parse(String(v));
        return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : null;
      } catch {
        return null;
      }
    };
    const depth = num("层级");
    if (typeof depth !== "number" || !Number.isInteger(depth) || depth < 1)
      return fail(line, "层级", "应为从 1 起的整数", "expected a whole number from 1");
    if (depth > stack.length + 1)
      return fail(line, "层级", `层级 ${depth} 缺少上一级指标`, `level ${depth} has no parent above it`);
    const code = get("代码");
    const name = get("名称");
    if (code === null) return fail(line, "代码", "不能为空", "cannot be empty");
    if (name === null) return fail(line, "名称", "不能为空", "cannot be empty");
    const spec: Record<string, unknown> = { code: String(code), name: String(name) };
    const nameEn = get("英文名称");
    if (nameEn !== null) spec.nameEn = String(nameEn);
    for (const [column, field] of [
      ["分值", "points"],
      ["权重", "weight"],
      ["目标值", "target"],
      ["方向", "direction"],
    ] as const) {
      const v = num(column);
      if (typeof v === "string") return fail(line, column, "应为数字", "expected a number");
      if (v !== undefined) spec[field] = v;
    }
    const combine = get("汇总方式");
    if (combine !== null) spec.combine = String(combine);
    const unit = get("计量单位");
    if (unit !== null) spec.unit = String(unit);
    for (const [column, field] of [
      ["必达指标", "must"],
      ["加减分项", "adjustment"],
    ] as const) {
      const v = get(column);
      if (v === null) continue;
      if (!["是", "否", "true", "false"].includes(String(v)))
        return fail(line, column, "应为“是”或“否”", "expected 是 or 否");
      spec[field] = String(v) === "是" || String(v) === "true";
    }
    const lead = get("牵头部门");
    if (lead !== null) spec.lead = String(lead);
    // The rule: its type from 计分规则, its parameters from 规则参数 (which may leave the type out);
    // a type alone starts that rule with the designer's defaults; two types that differ are a fault.
    const rule = json("规则参数");
    if (rule === null) return fail(line, "规则参数", "不是有效的 JSON 对象", "not a JSON object");
    const typeCell = get("计分规则");
    const type = typeCell === null ? null : String(typeCell).trim();
    if (type !== null && !(RULE_TYPES as readonly string[]).includes(type))
      return fail(
        line,
        "计分规则",
        `不认识的规则类型 ${type}，应为 ${RULE_TYPES.join(", ")} 之一`,
        `unknown rule type ${type}, expected one of ${RULE_TYPES.join(", ")}`,
      );
    if (rule && type !== null && rule.type !== undefined && rule.type !== type)
      return fail(
        line,
        "计分规则",
        `规则类型 ${type} 与“规则参数”列中的 ${JSON.stringify(rule.type)} 不一致`,
        `rule type ${type} differs from ${JSON.stringify(rule.type)} in column 规则参数`,
      );
    if (rule) spec.rule = type === null ? rule : { ...rule, type };
    else if (type !== null) spec.rule = startRule(type as RuleType);
    const other = json("其他");
    if (other === null) return fail(line, "其他", "不是有效的 JSON 对象", "not a JSON object");
    Object.assign(spec, other ?? {});
    const node = spec as unknown as Own as IndicatorSpec;
    stack.length = depth - 1;
    if (depth === 1) roots.push(node);
    else {
      const parent = stack[depth - 2]!;
      parent.children = [...(parent.children ?? []), node];
    }
    stack.push(node);
  }
  if (roots.length === 0) return fail(2, null, "没有指标", "no indicators");
  return { ok: true, indicators: roots };
}
