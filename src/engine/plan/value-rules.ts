import { type EngineError, engineError } from "../errors.js";
import { val } from "./explain.js";
import type { Plan } from "./schema.js";
import type { PlanNode, PlanStructure } from "./structure.js";

/**
 * 数值规则: what a leaf accepts, worked out once from the plan. The one home of every rule on a single
 * value (yes/no, a rank's places, a mark's scale, the plan's range and precision), which the data
 * checks, the values API, uploads, imports, marks and `kaohe score` all call.
 */
export interface ValueRule {
  /** The value is a mark (rules mark and expert): out of range is MARK_OUT_OF_RANGE. */
  mark: boolean;
  min: number;
  max: number;
  /** Most decimal places, and where that comes from (for the message); undefined: any. */
  decimals: number | undefined;
  decimalsFrom: "indicator" | { minPoints?: number | undefined; maxPoints?: number | undefined } | null;
  /** A place in a ranking (external rank or dataType rank): a whole number from 1. */
  rank: boolean;
  /** A yes/no leaf's targets per unit: where none (and no threshold), the value is 0 or 1. */
  yesNoTargets: Float64Array | null;
}

const nodeError = (node: PlanNode, zh: string, en: string): EngineError =>
  engineError("VALUE_RULE", `指标 ${node.code}：${zh}`, `indicator ${node.code}: ${en}`, {
    indicator: node.code,
  });

/** Resolves a leaf's value rule from its own `values`, its rule's scale and the plan's `markDecimals`. */
export function resolveValueRule(plan: Plan, node: PlanNode, targets: Float64Array): ValueRule | EngineError {
  const own = node.spec.values ?? {};
  const rule = node.rule!;
  const mark = rule.type === "mark" || rule.type === "expert";
  const markMax =
    rule.type === "mark" ? (rule.markMax ?? 100) : rule.type === "expert" ? (rule.markMax ?? node.points) : 0;
  const min = own.min ?? (mark ? 0 : Number.NEGATIVE_INFINITY);
  const max = own.max ?? (mark ? markMax : Number.POSITIVE_INFINITY);
  if (min > max)
    return nodeError(
      node,
      `数值规则的下限 ${val(min)} 大于上限 ${val(max)}`,
      `the value rule's min ${val(min)} is above its max ${val(max)}`,
    );
  // A mark beyond its scale would be capped (or floored) by the rule without a word: never allow it.
  if (mark && (min < 0 || max > markMax))
    return nodeError(
      node,
      `评分的允许范围 ${val(min)} 到 ${val(max)} 超出评分满分 0 到 ${val(markMax)}`,
      `the marks allowed, ${val(min)} to ${val(max)}, go beyond the scale 0 to ${val(markMax)}`,
    );
  const byPoints = mark
    ? plan.markDecimals?.find(
        (d) =>
          (d.minPoints === undefined || node.points >= d.minPoints - 1e-9) &&
          (d.maxPoints === undefined || node.points <= d.maxPoints + 1e-9),
      )
    : undefined;
  const decimals = own.decimals ?? byPoints?.decimals;
  return {
    mark,
    min,
    max,
    decimals,
    decimalsFrom:
      own.decimals !== undefined
        ? "indicator"
        : byPoints
          ? { minPoints: byPoints.minPoints, maxPoints: byPoints.maxPoints }
          : null,
    rank: (rule.type === "rank" && rule.source === "external") || node.spec.dataType === "rank",
    yesNoTargets: rule.type === "yesno" && rule.threshold === undefined ? targets : null,
  };
}

/** At most `d` decimal places, allowing for the binary representation of decimal text (0.1 + 0.2). */
function hasDecimals(value: number, d: number): boolean {
  const scaled = value * 10 ** d;
  return Math.abs(scaled - Math.round(scaled)) > 1e-9 * Math.max(1, Math.abs(scaled));
}

/**
 * How many places a unit's rank on a leaf is out of (an external rank table's `of`, or the unit's own
 * comparison group's `ofByUnit`); undefined: any place from 1.
 */
export function rankPlaces(structure: PlanStructure, leaf: number, unit: number): number | undefined {
  const rule = structure.nodes[leaf]!.rule;
  return rule?.type === "rank" && rule.source === "external"
    ? (rule.table?.ofByUnit?.[structure.units[unit]!] ?? rule.table?.of)
    : undefined;
}

/** Whether a leaf applies to a unit (适用单位): every leaf does, unless its appliesTo leaves the unit out. */
export function appliesTo(node: PlanNode, unit: string): boolean {
  return node.appliesTo === undefined || node.appliesTo.has(unit);
}

/**
 * Checks one value of one unit for one leaf against its value rule: null when accepted, else an error
 * naming the unit and the indicator in both languages (callers add the file, row and column).
 */
export function valueProblem(
  structure: PlanStructure,
  leaf: number,
  unit: number,
  value: number,
): EngineError | null {
  const node = structure.nodes[leaf]!;
  const accepts = node.accepts!;
  // Most leaves take any finite value from anyone (every value of a data file is checked here).
  if (
    node.appliesTo === undefined &&
    accepts.yesNoTargets === null &&
    !accepts.rank &&
    accepts.decimals === undefined &&
    value >= accepts.min &&
    value <= accepts.max
  )
    return null;
  const unitCode = structure.units[unit]!;
  const problem = (code: string, zh: string, en: string) =>
    engineError(
      code,
      `单位 ${unitCode} 的指标 ${node.code}（${node.name}）：${zh}`,
      `unit ${unitCode}, indicator ${node.code} (${node.nameEn ?? node.name}): ${en}`,
      { indicator: node.code, unit: unitCode, value },
    );
  if (!appliesTo(node, unitCode))
    return problem(
      "NOT_APPLICABLE",
      "本指标不适用于该单位（适用单位 appliesTo 中没有它），不能填报",
      "this indicator does not apply to the unit (it is not in appliesTo): no value can be reported",
    );
  if (accepts.yesNoTargets && Number.isNaN(accepts.yesNoTargets[unit]) && value !== 0 && value !== 1)
    return problem(
      "BAD_YESNO",
      `是否类指标的值只能是 1（是）或 0（否），不是 ${value}`,
      `a yes/no indicator takes 1 (yes) or 0 (no), not ${value}`,
    );
  if (accepts.rank) {
    const of = rankPlaces(structure, leaf, unit);
    if (!Number.isInteger(value) || value < 1 || (of !== undefined && value > of))
      return problem(
        "BAD_RANK",
        `位次只能是 1${of === undefined ? " 及以上的整数" : ` 到 ${of} 的整数`}，不是 ${value}`,
        `a rank is a whole number ${of === undefined ? "of 1 or more" : `from 1 to ${of}`}, not ${value}`,
      );
  }
  if (value < accepts.min || value > accepts.max) {
    const range = {
      zh: Number.isFinite(accepts.min)
        ? Number.isFinite(accepts.max)
          ? `${val(accepts.min)} 到 ${val(accepts.max)}`
          : `不小于 ${val(accepts.min)}`
        : `不大于 ${val(accepts.max)}`,
      en: Number.isFinite(accepts.min)
        ? Number.isFinite(accepts.max)
          ? `from ${val(accepts.min)} to ${val(accepts.max)}`
          : `at least ${val(accepts.min)}`
        : `at most ${val(accepts.max)}`,
    };
    return accepts.mark
      ? problem(
          "MARK_OUT_OF_RANGE",
          `评分应在 ${range.zh} 之间，不是 ${value}（超出的评分不会按满分计，须更正）`,
          `a mark is ${range.en}, not ${value} (it is refused, not capped: correct it)`,
        )
      : problem(
          "VALUE_OUT_OF_RANGE",
          `数值应${Number.isFinite(accepts.min) && Number.isFinite(accepts.max) ? `在 ${range.zh} 之间` : `${range.zh}`}，不是 ${value}`,
          `the value is ${range.en}, not ${value}`,
        );
  }
  const d = accepts.decimals;
  if (d !== undefined && hasDecimals(value, d)) {
    const from = accepts.decimalsFrom;
    const why =
      from === "indicator" || from === null
        ? { zh: "本项数值规则", en: "its value rule" }
        : {
            zh: `方案 markDecimals：分值${from.minPoints !== undefined ? ` ${val(from.minPoints)} 分及以上` : ""}${from.minPoints !== undefined && from.maxPoints !== undefined ? "、" : ""}${from.maxPoints !== undefined ? ` ${val(from.maxPoints)} 分及以下` : ""}的指标，本项 ${val(node.points)} 分`,
            en: `the plan's markDecimals for indicators worth${from.minPoints !== undefined ? ` ${val(from.minPoints)} points or more` : ""}${from.minPoints !== undefined && from.maxPoints !== undefined ? " and" : ""}${from.maxPoints !== undefined ? ` ${val(from.maxPoints)} points or less` : ""}; this one is worth ${val(node.points)}`,
          };
    return problem(
      "TOO_MANY_DECIMALS",
      `${d === 0 ? "须为整数" : `最多 ${d} 位小数`}，不是 ${value}（${why.zh}）`,
      `${d === 0 ? "must be a whole number" : `at most ${d} decimal place${d === 1 ? "" : "s"}`}, not ${value} (${why.en})`,
    );
  }
  return null;
}
