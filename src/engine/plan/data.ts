import { type EngineError, engineError, fail, ok, type Result } from "../errors.js";
import type { Plan } from "./schema.js";
import type { PlanStructure } from "./structure.js";
import { valueProblem } from "./value-rules.js";

/** One row of long-form scoring data: a value of one unit for one indicator in one period. */
export interface DataRow {
  unit: string;
  indicator: string;
  period: string;
  value: number;
  source?: string;
  /** Bonus items: the level of the achievement (a key of the item's `levels`). */
  level?: string;
  /** Bonus items: the achievement it belongs to, so only its highest level counts. */
  ref?: string;
  /** Expert marks: who gave the mark. */
  reviewer?: string;
  /** Where the row came from, for error messages (e.g. 1-based line of a CSV file). */
  row?: number;
}

/** Data indexed for scoring: per indicator and period, one column over the plan's units. */
export interface PlanValues {
  /** Values of an indicator in a period, aligned with the plan's units; NaN where missing. */
  column(indicator: string, period: string): Float64Array;
  /** Expert marks of an indicator in a period, per unit. */
  marks(indicator: string, period: string): number[][];
  /** Rows of a bonus, penalty or veto item in the plan period, per unit. */
  claims(item: string): DataRow[][];
}

/** The plan's bonus, penalty and veto items by code: what a row or a claim of one may say. */
export type ClaimableItems = ReadonlyMap<
  string,
  | { kind: "bonus"; item: NonNullable<Plan["bonus"]>[number] }
  | { kind: "penalty"; item: NonNullable<Plan["penalties"]>[number] }
  | { kind: "veto"; item: NonNullable<Plan["vetoes"]>[number] }
>;

export function claimableItems(plan: Plan): ClaimableItems {
  type Claimable = ClaimableItems extends ReadonlyMap<string, infer V> ? V : never;
  return new Map<string, Claimable>([
    ...(plan.bonus ?? []).map((item) => [item.code, { kind: "bonus" as const, item }] as const),
    ...(plan.penalties ?? []).map((item) => [item.code, { kind: "penalty" as const, item }] as const),
    ...(plan.vetoes ?? []).map((item) => [item.code, { kind: "veto" as const, item }] as const),
  ]);
}

/**
 * What is wrong with a claim of an item (a data row, or a claim recorded in the service): a bonus's
 * level among its levels, a veto's rating among its ratings (双评 较差) and its value 1 or 0, a penalty's
 * count a whole number (or, for an amount, points) not below 0. Undefined when right, or not an item.
 */
export function claimProblem(
  items: ClaimableItems,
  code: string,
  level: string | undefined,
  value: number,
): { code: string; field: "level" | "value"; zh: string; en: string } | undefined {
  const claimed = items.get(code);
  if (!claimed) return undefined;
  if (claimed.kind === "bonus") {
    const levels = Object.keys(claimed.item.levels);
    if (level === undefined || !levels.includes(level))
      return {
        code: "BAD_LEVEL",
        field: "level",
        zh: `加分项 ${code} 的级别“${level ?? ""}”无效，应为 ${levels.join("、")}`,
        en: `level "${level ?? ""}" of bonus item ${code} is not one of ${levels.join(", ")}`,
      };
    return undefined;
  }
  if (claimed.kind === "penalty") {
    const { amount } = claimed.item;
    if (value < 0 || (!amount && !Number.isInteger(value)))
      return {
        code: "BAD_PENALTY",
        field: "value",
        zh: amount
          ? `扣分项 ${code} 的值是扣除的分数，不能为负：${value}`
          : `扣分项 ${code} 的值是发生次数（非负整数），不是 ${value}；按分数直接扣分的扣分项请写 amount: true`,
        en: amount
          ? `penalty item ${code} takes the points deducted, not a negative ${value}`
          : `penalty item ${code} takes a count of occurrences (a whole number of 0 or more), not ${value}; for points deducted as given the item says amount: true`,
      };
    return undefined;
  }
  const ratings = claimed.item.levels;
  if (ratings && (level === undefined || !ratings.includes(level)))
    return {
      code: "BAD_LEVEL",
      field: "level",
      zh: `否决项 ${code} 的类别（level）“${level ?? ""}”无效，应为 ${ratings.join("、")}`,
      en: `the rating (level) "${level ?? ""}" of veto item ${code} is not one of ${ratings.join(", ")}`,
    };
  if (value !== 0 && value !== 1)
    return {
      code: "BAD_VETO",
      field: "value",
      zh: `否决项 ${code} 的值只能是 1（触发）或 0（未触发），不是 ${value}`,
      en: `veto item ${code} takes 1 (applies) or 0 (does not), not ${value}`,
    };
  return undefined;
}

/** A value rule's error, with the row it came from for the caller to place (with its column). */
const atRow = (row: DataRow, error: EngineError): EngineError =>
  row.row === undefined ? error : { ...error, row: row.row };

const rowError = (row: DataRow, code: string, zh: string, en: string): EngineError => {
  const at = row.row === undefined ? "" : `第 ${row.row} 行：`;
  const atEn = row.row === undefined ? "" : `row ${row.row}: `;
  return engineError(code, `${at}${zh}`, `${atEn}${en}`, { indicator: row.indicator, unit: row.unit });
};

/**
 * Checks every row against the plan (known unit, known indicator or item, no duplicates, valid levels,
 * yes/no and veto values, ranks within the table, one mark per reviewer within the scale) and indexes them.
 */
export function indexPlanData(structure: PlanStructure, rows: readonly DataRow[]): Result<PlanValues> {
  const { plan, unitIndex, byCode, nodes } = structure;
  const n = structure.units.length;
  const expert = new Set(
    structure.leaves.filter((i) => nodes[i]!.rule?.type === "expert").map((i) => nodes[i]!.code),
  );
  const claimable = claimableItems(plan);
  // Who marked what: one mark per reviewer, unit, indicator and period (the row it came from).
  const markedBy = new Map<string, DataRow>();
  // Per indicator and period: the column of values. Every value is finite, so a value already in its
  // cell is a duplicate (the earlier row is looked for only then: a row per cell kept was 2 M pointers).
  const columns = new Map<string, Map<string, Float64Array>>();
  const marks = new Map<string, number[][]>();
  const claims = new Map<string, DataRow[][]>();
  // Per leaf (node index): 1 where any finite value is accepted from every unit, so a row needs no
  // value rule checked (most leaves; a data file has millions of rows).
  const free = new Uint8Array(nodes.length);
  for (const i of structure.leaves) {
    const node = nodes[i]!;
    const a = node.accepts;
    if (
      a &&
      node.appliesTo === undefined &&
      !expert.has(node.code) &&
      a.yesNoTargets === null &&
      !a.rank &&
      a.decimals === undefined &&
      a.min === Number.NEGATIVE_INFINITY &&
      a.max === Number.POSITIVE_INFINITY
    )
      free[i] = 1;
  }
  // The column of the row before's indicator and period where its leaf is free (the common case
  // below: rows mostly come grouped by indicator and period), else undefined.
  let column: Float64Array | undefined;
  let lastIndicator: string | undefined;
  let lastPeriod: string | undefined;
  let lastLeaf: number | undefined;
  const duplicate = (row: DataRow): EngineError => {
    const earlier = rows.find(
      (r) => r.unit === row.unit && r.indicator === row.indicator && r.period === row.period,
    )!;
    const where = earlier.row === undefined ? "" : `（第 ${earlier.row} 行已有）`;
    const whereEn = earlier.row === undefined ? "" : ` (already on row ${earlier.row})`;
    return rowError(
      row,
      "DUPLICATE_VALUE",
      `单位 ${row.unit} 的 ${row.indicator}（${row.period}）重复${where}`,
      `duplicate value of ${row.indicator} for ${row.unit} in ${row.period}${whereEn}`,
    );
  };
  /** Any row but a free leaf's in the row before's column: a refusal, or undefined when taken. */
  const other = (row: DataRow, u: number): EngineError | undefined => {
    column = undefined;
    if (row.indicator !== lastIndicator) {
      lastIndicator = row.indicator;
      lastLeaf = byCode.get(row.indicator);
    }
    lastPeriod = row.period;
    const leaf = lastLeaf;
    if (leaf !== undefined && nodes[leaf]!.children.length === 0) {
      if (expert.has(row.indicator)) {
        const refused = checkMark(row, markedBy);
        if (refused) return refused;
      }
      const problem = valueProblem(structure, leaf, u, row.value);
      if (problem) return atRow(row, problem);
      if (expert.has(row.indicator)) {
        const key = `${row.indicator}\u0000${row.period}`;
        const list = marks.get(key) ?? Array.from({ length: n }, () => []);
        list[u]!.push(row.value);
        marks.set(key, list);
        return undefined;
      }
      let byPeriod = columns.get(row.indicator);
      if (!byPeriod) {
        byPeriod = new Map();
        columns.set(row.indicator, byPeriod);
      }
      let values = byPeriod.get(row.period);
      if (!values) {
        values = new Float64Array(n).fill(Number.NaN);
        byPeriod.set(row.period, values);
      }
      if (!Number.isNaN(values[u])) return duplicate(row);
      values[u] = row.value;
      if (free[leaf] === 1) column = values;
      return undefined;
    }
    if (claimable.has(row.indicator)) {
      const problem = claimProblem(claimable, row.indicator, row.level, row.value);
      if (problem) return rowError(row, problem.code, problem.zh, problem.en);
      if (row.period !== plan.period.key) return undefined;
      const list = claims.get(row.indicator) ?? Array.from({ length: n }, () => []);
      list[u]!.push(row);
      claims.set(row.indicator, list);
      return undefined;
    }
    const what = leaf !== undefined ? "是汇总指标，不能直接填报" : "不是方案中的指标、加减分项或否决项";
    const whatEn =
      leaf !== undefined
        ? "is an aggregate and takes no data"
        : "is not an indicator, bonus, penalty or veto item of the plan";
    return rowError(row, "UNKNOWN_INDICATOR", `${row.indicator} ${what}`, `${row.indicator} ${whatEn}`);
  };
  // Rows mostly come grouped by indicator, each group listing the units in the same order: a row's
  // unit is mostly the one that followed the row before's unit last time (one string comparison,
  // where the map hashed every row's own unit string), and its indicator the row before's.
  const unitCodes = structure.units;
  const after = new Int32Array(n + 1).fill(-1);
  let before = n;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let u: number | undefined = after[before] as number;
    if (u < 0 || unitCodes[u] !== row.unit) {
      u = unitIndex.get(row.unit);
      if (u !== undefined) after[before] = u;
    }
    if (u === undefined)
      return fail(
        rowError(row, "UNKNOWN_UNIT", `单位 ${row.unit} 不在方案中`, `unit ${row.unit} is not in the plan`),
      );
    const value = row.value;
    if (!Number.isFinite(value))
      return fail(rowError(row, "BAD_VALUE", "数值无效", "the value is not a finite number"));
    before = u;
    if (column !== undefined && row.indicator === lastIndicator && row.period === lastPeriod) {
      if (!Number.isNaN(column[u])) return fail(duplicate(row));
      column[u] = value;
      continue;
    }
    const refused = other(row, u);
    if (refused) return fail(refused);
  }
  // One all-NaN column for every indicator and period without data (columns are only read).
  const empty = new Float64Array(n).fill(Number.NaN);
  return ok({
    column: (indicator, period) => columns.get(indicator)?.get(period) ?? empty,
    marks: (indicator, period) =>
      marks.get(`${indicator}\u0000${period}`) ?? Array.from({ length: n }, () => []),
    claims: (item) => claims.get(item) ?? Array.from({ length: n }, () => []),
  });
}

/** An expert mark names its reviewer and is that reviewer's only one (its scale is its value rule's). */
function checkMark(row: DataRow, markedBy: Map<string, DataRow>): EngineError | undefined {
  if (!row.reviewer?.trim())
    return rowError(
      row,
      "MARK_WITHOUT_REVIEWER",
      `${row.indicator} 的评审打分必须注明评委（reviewer）`,
      `an expert mark for ${row.indicator} must name its reviewer`,
    );
  const key = [row.indicator, row.period, row.unit, row.reviewer].join("\u0000");
  const earlier = markedBy.get(key);
  if (earlier) {
    const where = earlier.row === undefined ? "" : `（第 ${earlier.row} 行已有）`;
    const whereEn = earlier.row === undefined ? "" : ` (already on row ${earlier.row})`;
    return rowError(
      row,
      "DUPLICATE_MARK",
      `评委 ${row.reviewer} 已为单位 ${row.unit} 的 ${row.indicator}（${row.period}）打分${where}`,
      `reviewer ${row.reviewer} already marked ${row.indicator} for ${row.unit} in ${row.period}${whereEn}`,
    );
  }
  markedBy.set(key, row);
  return undefined;
}
