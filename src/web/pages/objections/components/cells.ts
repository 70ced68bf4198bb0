import type { IndicatorSpec, Plan } from "../../../../engine/index.js";

/** The plan's leaf indicators (the cells an objection can name), in tree order. */
export function leavesOf(nodes: IndicatorSpec[]): IndicatorSpec[] {
  return nodes.flatMap((n) => (n.children?.length ? leavesOf(n.children) : [n]));
}

/** A cell as people read it: "A1 年度重点工作任务完成" (the period added when it is not the plan's own). */
export function cellLabel(plan: Plan | undefined, cell: { indicator: string; period: string }, en = false) {
  const leaf = plan ? leavesOf(plan.indicators).find((l) => l.code === cell.indicator) : undefined;
  const name = leaf ? (en && leaf.nameEn ? leaf.nameEn : leaf.name) : "";
  const period = plan && cell.period === plan.period.key ? "" : `（${cell.period}）`;
  return `${cell.indicator} ${name}${period}`.trim();
}
