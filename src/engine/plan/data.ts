import { type EngineError, engineError, fail, ok, type Result } from "../errors.js";
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
  const bonus = new Map((plan.bonus ?? []).map((b) => [b.code, b] as const));
  const vetoes = new Set((plan.vetoes ?? []).map((v) => v.code));
  /** Vetoes given as a category (双评 较差): the ratings their rows may carry. */
  const ratings = new Map(
    (plan.vetoes ?? []).filter((v) => v.levels).map((v) => [v.code, v.levels!] as const),
  );
  const penalties = new Map((plan.penalties ?? []).map((p) => [p.code, p] as const));
  const items = new Set([...penalties.keys(), ...vetoes]);
  // Who marked what: one mark per reviewer, unit, indicator and period (the row it came from).
  const markedBy = new Map<string, DataRow>();
  // Per indicator and period: the column of values and the row each value came from (for duplicates).
  const columns = new Map<string, Map<string, { values: Float64Array; rows: (DataRow | undefined)[] }>>();
  const marks = new Map<string, number[][]>();
  const claims = new Map<string, DataRow[][]>();
  type Column = { values: Float64Array; rows: (DataRow | undefined)[] };
  let last: { indicator: string; period: string; column: Column | undefined } = {
    indicator: "",
    period: "",
    column: undefined,
  };
  for (const row of rows) {
    const u = unitIndex.get(row.unit);
    if (u === undefined)
      return fail(
        rowError(row, "UNKNOWN_UNIT", `单位 ${row.unit} 不在方案中`, `unit ${row.unit} is not in the plan`),
      );
    if (!Number.isFinite(row.value))
      return fail(rowError(row, "BAD_VALUE", "数值无效", "the value is not a finite number"));
    const leaf = byCode.get(row.indicator);
    if (leaf !== undefined && nodes[leaf]!.children.length === 0) {
      if (expert.has(row.indicator)) {
        const refused = checkMark(row, markedBy);
        if (refused) return fail(refused);
      }
      const problem = valueProblem(structure, leaf, u, row.value);
      if (problem) return fail(atRow(row, problem));
      if (expert.has(row.indicator)) {
        const key = `${row.indicator}\u0000${row.period}`;
        const list = marks.get(key) ?? Array.from({ length: n }, () => []);
        list[u]!.push(row.value);
        marks.set(key, list);
        continue;
      }
      // Rows mostly come grouped by indicator and period: the row before's column, without look-ups.
      let column = row.indicator === last.indicator && row.period === last.period ? last.column : undefined;
      if (!column) {
        let byPeriod = columns.get(row.indicator);
        if (!byPeriod) {
          byPeriod = new Map();
          columns.set(row.indicator, byPeriod);
        }
        column = byPeriod.get(row.period);
        if (!column) {
          column = { values: new Float64Array(n).fill(Number.NaN), rows: new Array(n) };
          byPeriod.set(row.period, column);
        }
        last = { indicator: row.indicator, period: row.period, column };
      }
      const earlier = column.rows[u];
      if (earlier) {
        const where = earlier.row === undefined ? "" : `（第 ${earlier.row} 行已有）`;
        const whereEn = earlier.row === undefined ? "" : ` (already on row ${earlier.row})`;
        return fail(
          rowError(
            row,
            "DUPLICATE_VALUE",
            `单位 ${row.unit} 的 ${row.indicator}（${row.period}）重复${where}`,
            `duplicate value of ${row.indicator} for ${row.unit} in ${row.period}${whereEn}`,
          ),
        );
      }
      column.rows[u] = row;
      column.values[u] = row.value;
      continue;
    }
    const item = bonus.get(row.indicator);
    if (item || items.has(row.indicator)) {
      if (item && (row.level === undefined || !(row.level in item.levels))) {
        return fail(
          rowError(
            row,
            "BAD_LEVEL",
            `加分项 ${item.code} 的级别“${row.level ?? ""}”无效，应为 ${Object.keys(item.levels).join("、")}`,
            `level "${row.level ?? ""}" of bonus item ${item.code} is not one of ${Object.keys(item.levels).join(", ")}`,
          ),
        );
      }
      const rated = ratings.get(row.indicator);
      if (rated && (row.level === undefined || !rated.includes(row.level)))
        return fail(
          rowError(
            row,
            "BAD_LEVEL",
            `否决项 ${row.indicator} 的类别（level）“${row.level ?? ""}”无效，应为 ${rated.join("、")}`,
            `the rating (level) "${row.level ?? ""}" of veto item ${row.indicator} is not one of ${rated.join(", ")}`,
          ),
        );
      const penalty = penalties.get(row.indicator);
      if (penalty && (row.value < 0 || (!penalty.amount && !Number.isInteger(row.value))))
        return fail(
          rowError(
            row,
            "BAD_PENALTY",
            penalty.amount
              ? `扣分项 ${row.indicator} 的值是扣除的分数，不能为负：${row.value}`
              : `扣分项 ${row.indicator} 的值是发生次数（非负整数），不是 ${row.value}；按分数直接扣分的扣分项请写 amount: true`,
            penalty.amount
              ? `penalty item ${row.indicator} takes the points deducted, not a negative ${row.value}`
              : `penalty item ${row.indicator} takes a count of occurrences (a whole number of 0 or more), not ${row.value}; for points deducted as given the item says amount: true`,
          ),
        );
      if (vetoes.has(row.indicator) && row.value !== 0 && row.value !== 1)
        return fail(
          rowError(
            row,
            "BAD_VETO",
            `否决项 ${row.indicator} 的值只能是 1（触发）或 0（未触发），不是 ${row.value}`,
            `veto item ${row.indicator} takes 1 (applies) or 0 (does not), not ${row.value}`,
          ),
        );
      if (row.period !== plan.period.key) continue;
      const list = claims.get(row.indicator) ?? Array.from({ length: n }, () => []);
      list[u]!.push(row);
      claims.set(row.indicator, list);
      continue;
    }
    const what = leaf !== undefined ? "是汇总指标，不能直接填报" : "不是方案中的指标、加减分项或否决项";
    const whatEn =
      leaf !== undefined
        ? "is an aggregate and takes no data"
        : "is not an indicator, bonus, penalty or veto item of the plan";
    return fail(rowError(row, "UNKNOWN_INDICATOR", `${row.indicator} ${what}`, `${row.indicator} ${whatEn}`));
  }
  const empty = () => new Float64Array(n).fill(Number.NaN);
  return ok({
    column: (indicator, period) => columns.get(indicator)?.get(period)?.values ?? empty(),
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
