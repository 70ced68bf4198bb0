import type { Lang } from "../errors.js";
import type { DataRow, PlanValues } from "./data.js";
import { pts } from "./explain.js";
import type { Plan } from "./schema.js";

/** One bonus or penalty line of a unit, for its trace. */
export interface AdjustmentLine {
  item: string;
  points: number;
  text: Record<Lang, string>;
}

/** The bonus and penalty items that adjust one node's score (their `node`), outside full marks. */
export interface NodeAdjustment {
  /** Bonus minus penalty, per unit. */
  points: Float64Array;
  lines: AdjustmentLine[][];
}

export interface Adjustments {
  /** The items on the total (those without a `node`), after the plan-wide caps. */
  bonus: Float64Array;
  penalty: Float64Array;
  lines: AdjustmentLine[][];
  /** The items on a node, by the node's code: added to its score before it is weighted into its parent. */
  atNode: Map<string, NodeAdjustment>;
  /** Codes of the vetoes triggered, per unit. */
  vetoes: string[][];
}

/**
 * 加分项 / 扣分项 / 一票否决. A bonus achievement counts once, at its highest level (unless the item
 * says otherwise); each item is capped per unit, then all bonuses (and all penalties) on the total
 * together. An item with a `node` adjusts that node's score instead, capped by its own cap only.
 */
export function scoreAdjustments(plan: Plan, values: PlanValues, units: number): Adjustments {
  const onTotal = {
    bonus: new Float64Array(units),
    penalty: new Float64Array(units),
    lines: Array.from({ length: units }, (): AdjustmentLine[] => []),
  };
  const atNode = new Map<string, NodeAdjustment>();
  /** Where an item's points go: the total's bonus or penalty, or its node's adjustment. */
  const target = (node: string | undefined, sign: 1 | -1) => {
    if (node === undefined)
      return { points: sign === 1 ? onTotal.bonus : onTotal.penalty, sign: 1, lines: onTotal.lines };
    let at = atNode.get(node);
    if (!at) {
      at = { points: new Float64Array(units), lines: Array.from({ length: units }, () => []) };
      atNode.set(node, at);
    }
    return { points: at.points, sign, lines: at.lines };
  };
  const vetoes: string[][] = Array.from({ length: units }, () => []);
  for (const item of plan.bonus ?? []) {
    const { points: bonus, sign, lines } = target(item.node, 1);
    const claims = values.claims(item.code);
    for (let u = 0; u < units; u++) {
      // The achievements that count: every claim, or per achievement (ref) the one at its highest level.
      const byRef = new Map<string, { row: DataRow; points: number }>();
      const loose: { row: DataRow; points: number }[] = [];
      for (const [k, row] of claims[u]!.entries()) {
        const p = (item.levels[row.level!] ?? 0) * row.value;
        if (item.highestOnly === false) loose.push({ row, points: p });
        else {
          const ref = row.ref ?? `#${k}`;
          const best = byRef.get(ref);
          if (!best || p > best.points) byRef.set(ref, { row, points: p });
        }
      }
      const counted = [...loose, ...byRef.values()].filter((c) => c.points !== 0);
      const raw = counted.reduce((s, c) => s + c.points, 0);
      if (raw === 0) continue;
      const got = Math.min(raw, item.cap ?? Number.POSITIVE_INFINITY);
      bonus[u] = (bonus[u] as number) + sign * got;
      const capped =
        got < raw
          ? { zh: `（本项封顶 ${pts(item.cap!)} 分）`, en: ` (item capped at ${pts(item.cap!)})` }
          : { zh: "", en: "" };
      const what = (c: { row: DataRow }, times: string) =>
        [c.row.ref, `${c.row.level ?? ""}${c.row.value === 1 ? "" : `${times}${pts(c.row.value)}`}`]
          .filter(Boolean)
          .join(" ");
      const list = {
        zh: counted.map((c) => `${what(c, " × ")} ${pts(c.points)} 分`).join("；"),
        en: counted.map((c) => `${what(c, " x ")} +${pts(c.points)}`).join("; "),
      };
      lines[u]!.push({
        item: item.code,
        points: got,
        text: {
          "zh-CN": `加分项 ${item.name}：加 ${pts(got)} 分（${list.zh}）${capped.zh}`,
          en: `bonus ${item.name}: +${pts(got)} (${list.en})${capped.en}`,
        },
      });
    }
  }
  for (const item of plan.penalties ?? []) {
    const { points: penalty, sign, lines } = target(item.node, -1);
    const claims = values.claims(item.code);
    for (let u = 0; u < units; u++) {
      const sum = claims[u]!.reduce((s, r) => s + r.value, 0);
      if (sum === 0) continue;
      // The value is a count of occurrences, or (amount) the points deducted themselves.
      const raw = item.amount ? sum : sum * item.perOccurrence!;
      const got = Math.min(raw, item.cap ?? Number.POSITIVE_INFINITY);
      penalty[u] = (penalty[u] as number) + sign * got;
      const capped = got < raw;
      const how = item.amount
        ? { zh: `直接扣分 ${pts(sum)} 分`, en: `${pts(sum)} points deducted as given` }
        : { zh: `${sum} 次`, en: `${sum} time(s)` };
      lines[u]!.push({
        item: item.code,
        points: -got,
        text: {
          "zh-CN": `扣分项 ${item.name}：${how.zh}，扣 ${pts(got)} 分${capped ? `（本项封顶 ${pts(item.cap!)} 分）` : ""}`,
          en: `penalty ${item.name}: ${how.en}, -${pts(got)}${capped ? ` (item capped at ${pts(item.cap!)})` : ""}`,
        },
      });
    }
  }
  for (const veto of plan.vetoes ?? []) {
    const claims = values.claims(veto.code);
    for (let u = 0; u < units; u++) {
      // A veto by category (双评 较差) is triggered by a row of one of its triggering ratings only.
      const triggers = (r: DataRow) =>
        r.value !== 0 && (veto.triggeredBy === undefined || veto.triggeredBy.includes(r.level!));
      if (claims[u]!.some(triggers)) vetoes[u]!.push(veto.code);
    }
  }
  // The plan-wide caps on all bonus and on all penalty points, each applied the same way.
  const { bonus, penalty, lines } = onTotal;
  const totals = [
    { points: bonus, cap: plan.caps?.bonus, zh: "加分", en: "bonus" },
    { points: penalty, cap: plan.caps?.penalty, zh: "扣分", en: "penalty" },
  ];
  for (let u = 0; u < units; u++) {
    for (const { points, cap, zh, en } of totals) {
      if (cap === undefined || (points[u] as number) <= cap) continue;
      lines[u]!.push({
        item: "",
        points: 0,
        text: { "zh-CN": `${zh}合计封顶 ${pts(cap)} 分`, en: `${en} capped at ${pts(cap)} in all` },
      });
      points[u] = cap;
    }
  }
  return { bonus, penalty, lines, atNode, vetoes };
}
