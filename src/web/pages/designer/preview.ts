import {
  type DataRow,
  type IndicatorSpec,
  type Lang,
  type Plan,
  type Rule,
  scorePlan,
} from "../../../engine/index.js";

/** A leaf's rule previewed by the engine: the points for one actual, and a curve of points against the actual. */
export interface RulePreview {
  /** The curve's x: an actual value, or (peers ranked on their values) a place. */
  axis: "actual" | "place";
  curve: { x: number; points: number }[];
  /** The actual given: its points and the engine's sentence ("完成率 96.0%（实际 48，目标 50），得 9.6 分…"). */
  one: { actual: number; points: number; text: Record<Lang, string> } | null;
  /** Among how many sample units a peer rule ranked or normalised (null: the rule scores a unit alone). */
  peers: number | null;
}

type Leaf = Omit<IndicatorSpec, "children">;
const round = (x: number) => Math.round(x * 1e4) / 1e4;
const range = (lo: number, hi: number, steps: number) =>
  Array.from({ length: steps + 1 }, (_, i) => round(lo + ((hi - lo) * i) / steps));

/** Does the rule score a unit against the others (so a preview needs sample peers)? */
function comparesPeers(rule: Rule): boolean {
  if (rule.type === "rank") return rule.source === "peers";
  if (rule.type === "relative")
    return !["standard", "baseIndex", "goalposts", "none"].includes(rule.normaliser.method);
  return false;
}

/** The actuals the curve is drawn over, by rule: around the target, the thresholds, or the mark scale. */
export function sampleActuals(leaf: Leaf, points: number, target: number | undefined): number[] {
  const rule = leaf.rule!;
  const down = leaf.direction === -1;
  const t = target !== undefined && target > 0 ? target : 100;
  switch (rule.type) {
    case "completion":
      return down ? range(0.5 * t, 2 * t, 15) : range(0, 1.5 * t, 15);
    case "tiers": {
      const th = rule.tiers.map((x) => (rule.basis === "completion" ? x.threshold * t : x.threshold));
      const lo = Math.min(...th);
      const hi = Math.max(...th);
      const pad = (hi - lo) * 0.25 || Math.abs(hi) * 0.25 || 1;
      return range(Math.max(0, lo - pad), hi + pad, 60);
    }
    case "yesno": {
      const th = rule.threshold ?? target;
      return th === undefined ? [0, 1] : range(0, 2 * th || 2, 20);
    }
    case "rank": {
      if (rule.source === "peers") return range(10, 1, 9);
      const of = rule.table?.of ?? 10;
      return Array.from({ length: of }, (_, i) => i + 1);
    }
    case "relative": {
      const n = rule.normaliser;
      if (n.method === "standard") return range(0, 1.5 * n.standard, 15);
      if (n.method === "goalposts") {
        const pad = (n.hi - n.lo) * 0.2;
        return range(n.lo - pad, n.hi + pad, 14);
      }
      return range(0, 150, 15);
    }
    case "expert":
      return range(0, rule.markMax ?? points, 10);
    case "mark":
      return range(0, rule.markMax ?? 100, 10);
  }
}

/**
 * A plan of sample units holding only this leaf (at its resolved points, without what only the
 * service reads: lead, value rules; nor the units it applies to, the plan's, which the sample units
 * are not), one unit per actual, so the engine's own rule scores them.
 */
function samplePlan(leaf: Leaf, points: number, target: number | undefined, actuals: number[]) {
  const units = actuals.map((_, i) => `u${i + 1}`);
  const {
    lead: _l,
    scoredBy: _s,
    noTies: _n,
    values: _v,
    must: _m,
    weight: _w,
    appliesTo: _a,
    ...own
  } = leaf;
  const spec: IndicatorSpec = { ...own, points, ...(target !== undefined ? { target } : {}) };
  if (own.adjustment && own.points === undefined) delete spec.points;
  const rule = leaf.rule!;
  const periods = rule.type === "rank" && rule.periods ? rule.periods : ["P"];
  const plan: Plan = {
    format: "kaohe-plan/1",
    id: "preview",
    name: "preview",
    period: { key: periods[0]!, previous: "P0" },
    units: units.map((code) => ({ code, name: code })),
    categories: [{ code: "all", name: "all", units }],
    // An adjustment is scored beside a counted item (the top level cannot hold adjustments alone).
    indicators: own.adjustment
      ? [{ code: `${leaf.code}__base`, name: "base", points: 1, rule: { type: "yesno" } }, spec]
      : [spec],
  };
  const rows: DataRow[] = [];
  actuals.forEach((value, i) => {
    const unit = units[i]!;
    if (rule.type === "expert") {
      const reviewers = 2 * (rule.trim ?? 1) + 1;
      for (let r = 1; r <= reviewers; r++)
        rows.push({ unit, indicator: leaf.code, period: plan.period.key, value, reviewer: `r${r}` });
    } else {
      for (const period of periods) rows.push({ unit, indicator: leaf.code, period, value });
    }
    if (rule.type === "relative" && rule.normaliser.method === "baseIndex")
      rows.push({ unit, indicator: leaf.code, period: rule.normaliser.basePeriod, value: 100 });
  });
  return { plan, rows };
}

function run(leaf: Leaf, points: number, target: number | undefined, actuals: number[]) {
  const { plan, rows } = samplePlan(leaf, points, target, actuals);
  const scored = scorePlan(plan, rows, { hashes: false });
  if (!scored.ok) return scored;
  return {
    ok: true as const,
    value: scored.value.units.map((u) => ({
      points: u.scores[leaf.code] as number,
      text: u.trace.find((t) => t.node === leaf.code)?.text ?? { "zh-CN": "", en: "" },
    })),
  };
}

/**
 * Previews a leaf's rule: its points over sample actuals, and for `actual` its points and the
 * engine's sentence. A peer rule ranks or normalises the actual among the samples.
 */
export function previewRule(
  leaf: Leaf,
  points: number,
  target: number | undefined,
  actual: number | null,
): { ok: true; value: RulePreview } | { ok: false; error: { message: Record<Lang, string> } } {
  if (!leaf.rule)
    return { ok: false, error: { message: { "zh-CN": "末级指标须有计分规则", en: "no rule" } } };
  const xs = sampleActuals(leaf, points, target);
  const peers = comparesPeers(leaf.rule);
  const given = actual !== null && Number.isFinite(actual);
  // Alone, the actual is scored beside the samples in one run; a peer rule scores it among them apart.
  const curveRun = run(leaf, points, target, given && !peers ? [...xs, actual] : xs);
  if (!curveRun.ok) return curveRun;
  const isPlace = leaf.rule.type === "rank" && leaf.rule.source === "peers";
  const curve = xs.map((x, i) => ({ x: isPlace ? i + 1 : x, points: curveRun.value[i]!.points }));
  let one: RulePreview["one"] = null;
  if (given) {
    const scored = peers ? run(leaf, points, target, [...xs, actual]) : curveRun;
    if (!scored.ok) return scored;
    const mine = peers ? scored.value[xs.length]! : curveRun.value[xs.length]!;
    one = { actual, points: mine.points, text: mine.text };
  }
  return {
    ok: true,
    value: {
      axis: isPlace ? "place" : "actual",
      curve,
      one,
      peers: peers ? xs.length + (given ? 1 : 0) : null,
    },
  };
}
