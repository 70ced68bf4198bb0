import { type EngineError, engineError, fail, ok, type Result } from "../errors.js";
import { checkNoCommendation } from "./commendation.js";
import { assignOffices } from "./offices.js";
import type { IndicatorSpec, Plan, Rule } from "./schema.js";
import { appliesTo, resolveValueRule, type ValueRule } from "./value-rules.js";

/** One node of a plan's indicator tree, with its points resolved. */
export interface PlanNode {
  index: number;
  code: string;
  name: string;
  nameEn: string | undefined;
  depth: number;
  parent: number;
  children: number[];
  /** The children counted in its full marks: all but 加减分 (adjustment) children. */
  counted: number[];
  /** 加减分: its points go to its parent's score (or the total) outside full marks. */
  adjustment: boolean;
  /** Maximum points (分值), resolved from points or weights. */
  points: number;
  /** Weight among siblings (for `weighted` parents); defaults to the points. */
  weight: number;
  combine: "sum" | "weighted";
  rule: Rule | undefined;
  direction: 1 | -1;
  must: boolean;
  /** 牵头部门: the organisation code whose reviewers review the node's values, inherited from above. */
  lead: string | undefined;
  /** The lead department enters its values for every unit (scoredBy: lead, inherited from above). */
  scoredByLead: boolean;
  /** Leaves: the values it accepts (range, decimals, ranks, yes/no), from value-rules.ts. */
  accepts?: ValueRule;
  /** 适用单位 (appliesTo): the units an adjustment leaf applies to; undefined: every unit. */
  appliesTo: ReadonlySet<string> | undefined;
  spec: IndicatorSpec;
}

/** A validated plan, indexed for scoring. */
export interface PlanStructure {
  plan: Plan;
  /** Nodes in pre-order (parents before children). */
  nodes: PlanNode[];
  byCode: Map<string, number>;
  roots: number[];
  /** The top-level nodes counted in full marks (adjustment nodes aside). */
  countedRoots: number[];
  leaves: number[];
  units: string[];
  unitIndex: Map<string, number>;
  categories: string[];
  /** Category index per unit; -1 for 单列 (standalone) units. */
  categoryOf: Int32Array;
  /** 汇总部门: office codes (the plan's `offices`), and the office index per unit (-1: none). */
  offices: string[];
  officeOf: Int32Array;
  /** Sum of the top-level points: the highest base score. */
  maxBase: number;
  /** targets[leaf position in `leaves`][unit]: NaN where none. Read only: leaves of one target share a column. */
  targets: Float64Array[];
}

const nodeError = (code: string, node: string, zh: string, en: string): EngineError =>
  engineError(code, `指标 ${node}：${zh}`, `indicator ${node}: ${en}`, { indicator: node });

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Checks everything the schema cannot (codes, points, categories, quotas, references) and indexes the plan. */
export function buildPlanStructure(plan: Plan): Result<PlanStructure> {
  const nodes: PlanNode[] = [];
  const byCode = new Map<string, number>();
  const walk = (spec: IndicatorSpec, parent: number, depth: number): EngineError | null => {
    if (byCode.has(spec.code)) return nodeError("DUPLICATE_CODE", spec.code, "代码重复", "duplicate code");
    const index = nodes.length;
    const isLeaf = !spec.children || spec.children.length === 0;
    if (isLeaf && !spec.rule)
      return nodeError(
        "MISSING_RULE",
        spec.code,
        "末级指标必须有计分规则（rule）",
        "a leaf needs a scoring rule",
      );
    if (!isLeaf && spec.rule)
      return nodeError(
        "RULE_ON_PARENT",
        spec.code,
        "有下级指标的节点不能有计分规则",
        "a node with children cannot have a rule",
      );
    if (spec.adjustment && (!isLeaf || spec.weight !== undefined || spec.must))
      return nodeError(
        "ADJUSTMENT_NODE",
        spec.code,
        "加减分项（adjustment）须是末级指标，不设权重（weight），不作必达指标（must）：其得分在满分之外加到上级",
        "an adjustment is a leaf without a weight and is not a must-indicator: its points go to its parent outside full marks",
      );
    if (spec.appliesTo && (!isLeaf || !spec.adjustment))
      return nodeError(
        "APPLIES_TO_NODE",
        spec.code,
        "适用单位（appliesTo）只能写在加减分项（adjustment）的末级指标上：满分之内的指标须对每个单位都计分",
        "appliesTo belongs on an adjustment leaf: an indicator within full marks scores every unit",
      );
    const lead = spec.lead ?? (parent >= 0 ? nodes[parent]!.lead : undefined);
    const scoredBy = spec.scoredBy ?? (parent >= 0 && nodes[parent]!.scoredByLead ? "lead" : "unit");
    if (scoredBy === "lead" && lead === undefined)
      return nodeError(
        "SCORED_BY_LEAD",
        spec.code,
        "由牵头部门评分（scoredBy: lead）须有牵头部门（lead，可继承）",
        "scoredBy: lead needs a lead department (lead, or its parent's)",
      );
    if (spec.noTies && (!isLeaf || parent < 0 || spec.adjustment || !(spec.lead ?? nodes[parent]!.lead)))
      return nodeError(
        "NO_TIES_NODE",
        spec.code,
        "拉开档次（noTies）须写在有牵头部门（lead，可继承）、有上级的末级指标上，不能是加减分项：同分时本项可不计入，由上级折算",
        "noTies belongs on a leaf with a lead department (lead, or its parent's) and a parent, not on an adjustment: on a tie it may leave its parent, which is rescaled",
      );
    if (!isLeaf && spec.values)
      return nodeError(
        "VALUE_RULE",
        spec.code,
        "数值规则（values）只能写在末级指标上：汇总指标不填报数据",
        "a value rule (values) belongs on a leaf: an aggregate takes no data",
      );
    nodes.push({
      index,
      code: spec.code,
      name: spec.name,
      nameEn: spec.nameEn,
      depth,
      parent,
      children: [],
      counted: [],
      adjustment: spec.adjustment ?? false,
      // An adjustment's points (if any) are only its rule's scale, e.g. a yes/no bonus of 2.
      points: spec.points ?? (spec.adjustment ? 0 : Number.NaN),
      weight: spec.weight ?? Number.NaN,
      combine: spec.combine ?? "sum",
      rule: spec.rule,
      direction: spec.direction ?? 1,
      must: spec.must ?? false,
      lead,
      scoredByLead: scoredBy === "lead",
      appliesTo: spec.appliesTo ? new Set(spec.appliesTo) : undefined,
      spec,
    });
    byCode.set(spec.code, index);
    if (parent >= 0) {
      nodes[parent]!.children.push(index);
      if (!spec.adjustment) nodes[parent]!.counted.push(index);
    }
    for (const child of spec.children ?? []) {
      const e = walk(child, index, depth + 1);
      if (e) return e;
    }
    return null;
  };
  const roots: number[] = [];
  for (const spec of plan.indicators) {
    roots.push(nodes.length);
    const e = walk(spec, -1, 0);
    if (e) return fail(e);
  }
  const countedRoots = roots.filter((r) => !nodes[r]!.adjustment);
  const onlyAdjustments = [
    ...(countedRoots.length === 0 ? [null] : []),
    ...nodes.filter((x) => x.children.length > 0 && x.counted.length === 0).map((x) => x.code),
  ][0];
  if (onlyAdjustments !== undefined)
    return fail(
      onlyAdjustments === null
        ? engineError(
            "ADJUSTMENT_NODE",
            "一级指标不能只有加减分项",
            "the top level needs an indicator besides adjustments",
          )
        : nodeError(
            "ADJUSTMENT_NODE",
            onlyAdjustments,
            "下级不能只有加减分项：满分由其他下级指标构成",
            "needs a child besides adjustments: they make up its full marks",
          ),
    );
  const pointsError = resolvePoints(plan, nodes, countedRoots);
  if (pointsError) return fail(pointsError);
  const leaves = nodes.filter((n) => n.children.length === 0).map((n) => n.index);
  for (const i of leaves) {
    const e = checkRule(nodes[i]!);
    if (e) return fail(e);
  }

  const units = plan.units.map((u) => u.code);
  const unitIndex = new Map<string, number>();
  for (const [i, u] of units.entries()) {
    if (unitIndex.has(u))
      return fail(
        engineError("DUPLICATE_UNIT", `单位代码 ${u} 重复`, `duplicate unit code ${u}`, { unit: u }),
      );
    unitIndex.set(u, i);
  }
  const categoryResult = assignCategories(plan, unitIndex);
  if (!categoryResult.ok) return categoryResult;
  const officeResult = assignOffices(plan, unitIndex);
  if (!officeResult.ok) return officeResult;
  const referenceError = checkReferences(plan, byCode, unitIndex, categoryResult.value.categories);
  if (referenceError) return fail(referenceError);
  const withheldError = checkNoCommendation(plan, unitIndex);
  if (withheldError) return fail(withheldError);
  for (const i of leaves) {
    const stranger = [...(nodes[i]!.appliesTo ?? [])].find((u) => !unitIndex.has(u));
    if (stranger !== undefined)
      return fail(
        engineError(
          "UNKNOWN_UNIT",
          `指标 ${nodes[i]!.code}：适用单位（appliesTo）中的单位 ${stranger} 不在方案中`,
          `indicator ${nodes[i]!.code}: unit ${stranger} of appliesTo is not in the plan`,
          { indicator: nodes[i]!.code, unit: stranger },
        ),
      );
  }
  for (const i of leaves) {
    const rule = nodes[i]!.rule;
    const unknown =
      rule?.type === "rank"
        ? Object.keys(rule.table?.ofByUnit ?? {}).find((u) => !unitIndex.has(u))
        : undefined;
    if (unknown !== undefined)
      return fail(
        engineError(
          "UNKNOWN_UNIT",
          `指标 ${nodes[i]!.code}：位次表 ofByUnit 中的单位 ${unknown} 不在方案中`,
          `indicator ${nodes[i]!.code}: unit ${unknown} of the rank table's ofByUnit is not in the plan`,
          { indicator: nodes[i]!.code, unit: unknown },
        ),
      );
  }

  const targets: Float64Array[] = [];
  // Leaves with one target for every unit (or none, as peer-relative ones) share a column per target:
  // targets are only read, and a column per leaf of a province's plan is 24 MB of no information.
  const uniform = new Map<number, Float64Array>();
  for (const i of leaves) {
    const node = nodes[i]!;
    const fill = node.spec.target ?? Number.NaN;
    const byUnit = Object.entries(plan.targets?.[node.code] ?? {});
    let column = byUnit.length === 0 ? uniform.get(fill) : undefined;
    if (!column) {
      column = new Float64Array(units.length).fill(fill);
      if (byUnit.length === 0) uniform.set(fill, column);
    }
    for (const [unit, value] of byUnit) column[unitIndex.get(unit)!] = value;
    if (needsTarget(node.rule)) {
      const missing = units.findIndex((code, u) => Number.isNaN(column[u]) && appliesTo(node, code));
      if (missing >= 0) {
        return fail(
          engineError(
            "MISSING_TARGET",
            `指标 ${node.code}（${node.name}）没有单位 ${units[missing]} 的目标值`,
            `indicator ${node.code} (${node.name}) has no target for unit ${units[missing]}`,
            { indicator: node.code, unit: units[missing] as string },
          ),
        );
      }
    }
    targets.push(column);
    const accepts = resolveValueRule(plan, node, column);
    if ("code" in accepts) return fail(accepts);
    node.accepts = accepts;
  }
  return ok({
    plan,
    nodes,
    byCode,
    roots,
    countedRoots,
    leaves,
    units,
    unitIndex,
    categories: categoryResult.value.categories,
    categoryOf: categoryResult.value.categoryOf,
    offices: officeResult.value.offices,
    officeOf: officeResult.value.officeOf,
    maxBase: countedRoots.reduce((s, r) => s + nodes[r]!.points, 0),
    targets,
  });
}

function needsTarget(rule: Rule | undefined): boolean {
  return rule?.type === "completion" || (rule?.type === "tiers" && rule.basis === "completion");
}

/**
 * Points come from the node, or from its weight share of the parent's points; sums must add up.
 * Adjustment nodes take no part: `roots` and each node's `counted` leave them out.
 */
function resolvePoints(plan: Plan, nodes: PlanNode[], roots: number[]): EngineError | null {
  /** `owner`: the parent node's code, or null for the top level (the plan itself is no indicator). */
  const shareOut = (ids: number[], total: number, owner: string | null): EngineError | null => {
    const missing = ids.filter((i) => Number.isNaN(nodes[i]!.points));
    if (missing.length === 0) return null;
    if (missing.length !== ids.length) {
      return owner === null
        ? engineError(
            "MIXED_POINTS",
            "一级指标要么都给分值，要么都给权重",
            "give either points or weights to all top-level indicators",
          )
        : nodeError(
            "MIXED_POINTS",
            owner,
            "下级指标要么都给分值，要么都给权重",
            "give either points or weights to all children",
          );
    }
    if (Number.isNaN(total)) {
      return nodeError(
        "NO_POINTS",
        nodes[missing[0]!]!.code,
        "既没有分值，也无法由上级分值和权重算出",
        "has no points and none can be derived",
      );
    }
    for (const i of ids) {
      if (Number.isNaN(nodes[i]!.weight)) {
        return nodeError(
          "NO_POINTS",
          nodes[i]!.code,
          "需要分值（points）或权重（weight）",
          "needs points or a weight",
        );
      }
    }
    const sum = ids.reduce((s, i) => s + nodes[i]!.weight, 0);
    for (const i of ids) {
      nodes[i]!.points = (total * nodes[i]!.weight) / sum;
      derived.add(i);
    }
    return null;
  };
  // Nodes whose points were worked out from a weight, not written: a message must say so.
  const derived = new Set<number>();
  const rootsError = shareOut(roots, plan.pointsTotal ?? Number.NaN, null);
  if (rootsError) return rootsError;
  for (const [i, node] of nodes.entries()) {
    if (node.children.length === 0) continue;
    const e = shareOut(node.counted, node.points, node.code);
    if (e) return e;
    if (node.combine === "weighted") {
      // A weighted average of sub-scores takes its weights as written: with points alone, the weights
      // would silently be the points (a 345-point set would outweigh a 100-point one 3.45 to 1).
      const unweighted = node.counted.find((c) => Number.isNaN(nodes[c]!.weight));
      if (unweighted !== undefined)
        return nodeError(
          "WEIGHT_REQUIRED",
          nodes[unweighted]!.code,
          `上级 ${node.code} 按权重折算（combine: weighted），本项需写明权重（weight）；只按分值相加请用 combine: sum`,
          `its parent ${node.code} is a weighted average (combine: weighted): give this child a weight; to add points up use combine: sum`,
        );
    }
    for (const c of node.counted) if (Number.isNaN(nodes[c]!.weight)) nodes[c]!.weight = nodes[c]!.points;
    if (node.combine === "sum") {
      const sum = node.counted.reduce((s, c) => s + nodes[c]!.points, 0);
      if (!close(sum, node.points)) {
        const from = derived.has(i) ? "（由其权重 weight 和上级分值算出）" : "";
        const fromEn = derived.has(i) ? " (worked out from its weight and its parent's points)" : "";
        return nodeError(
          "POINTS_DO_NOT_ADD_UP",
          node.code,
          `下级分值合计 ${fmt(sum)}，不等于本项分值 ${fmt(node.points)}${from}`,
          `children's points add up to ${fmt(sum)}, not its ${fmt(node.points)}${fromEn}`,
        );
      }
    }
  }
  for (const r of roots) if (Number.isNaN(nodes[r]!.weight)) nodes[r]!.weight = nodes[r]!.points;
  for (const node of nodes) if (node.adjustment) node.weight = 0;
  if (plan.pointsTotal !== undefined) {
    const sum = roots.reduce((s, r) => s + nodes[r]!.points, 0);
    if (!close(sum, plan.pointsTotal)) {
      return engineError(
        "POINTS_DO_NOT_ADD_UP",
        `一级指标分值合计 ${fmt(sum)}，不等于方案总分 ${fmt(plan.pointsTotal)}`,
        `top-level points add up to ${fmt(sum)}, not the plan's pointsTotal ${fmt(plan.pointsTotal)}`,
      );
    }
  }
  return null;
}

const fmt = (x: number) => String(Math.round(x * 1e6) / 1e6);

function checkRule(node: PlanNode): EngineError | null {
  const rule = node.rule!;
  if (rule.type === "tiers") {
    const over = rule.tiers.find((t) => t.points > node.points + 1e-9);
    if (over) {
      return nodeError(
        "TIER_OVER_POINTS",
        node.code,
        `阶梯得分 ${over.points} 超过本项分值 ${fmt(node.points)}`,
        `tier points ${over.points} exceed the item's ${fmt(node.points)}`,
      );
    }
  }
  if (rule.type === "rank" && !rule.step && !rule.table) {
    return nodeError(
      "RANK_RULE",
      node.code,
      "位次计分需要 step 或 table",
      "a rank rule needs a step or a table",
    );
  }
  if (rule.type === "rank" && rule.step?.first !== undefined && rule.step.first > node.points + 1e-9) {
    return nodeError(
      "RANK_RULE",
      node.code,
      `第一名得分 ${fmt(rule.step.first)} 超过本项分值 ${fmt(node.points)}`,
      `the first place's ${fmt(rule.step.first)} points exceed the item's ${fmt(node.points)}`,
    );
  }
  if (
    rule.type === "rank" &&
    rule.table?.bottom &&
    rule.source === "external" &&
    !rule.table.of &&
    !rule.table.ofByUnit
  ) {
    return nodeError(
      "RANK_RULE",
      node.code,
      "外部位次的倒数名次表需要 of（参与排名的数量）",
      "bottom places of an external rank need `of` (how many are ranked)",
    );
  }
  if (rule.type === "completion" && rule.below === "deduct" && rule.deductPerPercent === undefined) {
    return nodeError(
      "COMPLETION_RULE",
      node.code,
      "扣分模式需要 deductPerPercent",
      "below = deduct needs deductPerPercent",
    );
  }
  return null;
}

function assignCategories(
  plan: Plan,
  unitIndex: Map<string, number>,
): Result<{ categories: string[]; categoryOf: Int32Array }> {
  const categoryOf = new Int32Array(unitIndex.size).fill(-1);
  const seen = new Set<string>();
  for (const [c, category] of plan.categories.entries()) {
    if (seen.has(category.code)) {
      return fail(
        engineError(
          "DUPLICATE_CATEGORY",
          `类别代码 ${category.code} 重复`,
          `duplicate category ${category.code}`,
        ),
      );
    }
    seen.add(category.code);
    for (const unit of category.units) {
      const u = unitIndex.get(unit);
      if (u === undefined) {
        return fail(
          engineError(
            "UNKNOWN_UNIT",
            `类别 ${category.code} 中的单位 ${unit} 不在方案的单位列表中`,
            `unit ${unit} of category ${category.code} is not a unit of the plan`,
            { unit },
          ),
        );
      }
      if (categoryOf[u] !== -1) {
        const other = plan.categories[categoryOf[u]!]!.code;
        return fail(
          engineError(
            "UNIT_IN_TWO_CATEGORIES",
            `单位 ${unit} 同时属于类别 ${other} 和 ${category.code}`,
            `unit ${unit} is in two categories: ${other} and ${category.code}`,
            { unit },
          ),
        );
      }
      categoryOf[u] = c;
    }
  }
  for (const u of plan.units) {
    const c = categoryOf[unitIndex.get(u.code)!]!;
    if (u.standalone && c !== -1) {
      return fail(
        engineError(
          "STANDALONE_IN_CATEGORY",
          `单列单位 ${u.code} 不应属于任何类别`,
          `standalone unit ${u.code} cannot be in a category`,
          { unit: u.code },
        ),
      );
    }
    if (!u.standalone && c === -1) {
      return fail(
        engineError(
          "UNIT_WITHOUT_CATEGORY",
          `单位 ${u.code} 不属于任何类别（单列单位请设 standalone）`,
          `unit ${u.code} is in no category (mark 单列 units standalone)`,
          { unit: u.code },
        ),
      );
    }
  }
  return ok({ categories: plan.categories.map((c) => c.code), categoryOf });
}

function checkReferences(
  plan: Plan,
  byCode: Map<string, number>,
  unitIndex: Map<string, number>,
  categories: string[],
): EngineError | null {
  for (const table of ["targets", "baselines"] as const) {
    for (const [indicator, perUnit] of Object.entries(plan[table] ?? {})) {
      if (!byCode.has(indicator))
        return engineError(
          "UNKNOWN_INDICATOR",
          `${table} 中的指标 ${indicator} 不存在`,
          `${table} names unknown indicator ${indicator}`,
          { indicator },
        );
      for (const unit of Object.keys(perUnit)) {
        if (!unitIndex.has(unit))
          return engineError(
            "UNKNOWN_UNIT",
            `${table}.${indicator} 中的单位 ${unit} 不存在`,
            `${table}.${indicator} names unknown unit ${unit}`,
            { unit, indicator },
          );
      }
    }
  }
  const grades = plan.grades ?? [];
  const gradeCodes = new Set<string>();
  for (const [k, g] of grades.entries()) {
    if (gradeCodes.has(g.code))
      return engineError("DUPLICATE_GRADE", `等次 ${g.code} 重复`, `duplicate grade ${g.code}`);
    gradeCodes.add(g.code);
    for (const q of [g.quota, ...Object.values(g.quotaByCategory ?? {})]) {
      if (q?.share !== undefined && q.share > 1) {
        return engineError(
          "QUOTA_OVER_100",
          `等次 ${g.code} 的比例 ${q.share * 100}% 超过 100%`,
          `grade ${g.code} has a quota of ${q.share * 100}%, above 100%`,
        );
      }
    }
    for (const c of Object.keys(g.quotaByCategory ?? {})) {
      if (!categories.includes(c))
        return engineError(
          "UNKNOWN_CATEGORY",
          `等次 ${g.code} 的 quotaByCategory 中类别 ${c} 不存在`,
          `grade ${g.code}: unknown category ${c} in quotaByCategory`,
        );
    }
    const last = k === grades.length - 1;
    // The last grade takes everyone the others did not; with a minScore, those below it get no grade.
    // Without a minScore it takes every unit left, so it cannot be a commendation to withhold.
    const takesAll = g.minScore === undefined;
    if (last && (g.quota || g.quotaByCategory || g.requires || (g.commendation && takesAll))) {
      return engineError(
        "LAST_GRADE",
        `最后一个等次 ${g.code} 应为兜底等次（不设比例和条件；可设最低分，低于者不定等次；不设最低分的不能作评优评先）`,
        `the last grade ${g.code} takes the rest: no quota or requirements, and no commendation without a minScore (a minScore is allowed: below it, no grade)`,
      );
    }
  }
  const titleCodes = new Set((plan.titles ?? []).map((t) => t.code));
  for (const v of plan.vetoes ?? []) {
    if (v.grade !== undefined && !gradeCodes.has(v.grade))
      return engineError(
        "UNKNOWN_GRADE",
        `否决项 ${v.code} 引用了不存在的等次 ${v.grade}`,
        `veto ${v.code} names unknown grade ${v.grade}`,
        { indicator: v.code },
      );
    const levels = new Set(v.levels ?? []);
    const stray = (v.triggeredBy ?? []).find((l) => !levels.has(l));
    if ((v.levels === undefined) !== (v.triggeredBy === undefined) || stray !== undefined)
      return engineError(
        "VETO_LEVELS",
        `否决项 ${v.code}：按类别否决须同时写明 levels（数据可取的类别）和 triggeredBy（触发否决的类别，须在 levels 中）${stray === undefined ? "" : `，${stray} 不在 levels 中`}`,
        `veto ${v.code}: a veto by category needs both levels (the ratings a row may carry) and triggeredBy (those that trigger it, among the levels)${stray === undefined ? "" : `; ${stray} is not one of its levels`}`,
        { indicator: v.code },
      );
    // `ineligible` names grades or titles (先进单位 may be a title as well as a grade).
    for (const g of v.ineligible ?? []) {
      if (!gradeCodes.has(g) && !titleCodes.has(g))
        return engineError(
          "UNKNOWN_GRADE",
          `否决项 ${v.code} 引用了不存在的等次或称号 ${g}`,
          `veto ${v.code} names ${g}, which is neither a grade nor a title`,
          { indicator: v.code },
        );
    }
  }
  for (const t of plan.titles ?? []) {
    if (t.requiresGrade !== undefined && !gradeCodes.has(t.requiresGrade)) {
      return engineError(
        "UNKNOWN_GRADE",
        `称号 ${t.code} 引用了不存在的等次 ${t.requiresGrade}`,
        `title ${t.code} names unknown grade ${t.requiresGrade}`,
        { indicator: t.code },
      );
    }
  }
  for (const b of plan.ranking?.breakers ?? []) {
    if (!byCode.has(b))
      return engineError(
        "UNKNOWN_INDICATOR",
        `并列排序依据的指标 ${b} 不存在`,
        `tie-breaker ${b} is not an indicator`,
        { indicator: b },
      );
  }
  const extraCodes = new Set<string>();
  for (const item of [...(plan.bonus ?? []), ...(plan.penalties ?? []), ...(plan.vetoes ?? [])]) {
    if (byCode.has(item.code) || extraCodes.has(item.code)) {
      return engineError(
        "DUPLICATE_CODE",
        `加减分或否决项代码 ${item.code} 与其他代码重复`,
        `bonus/penalty/veto code ${item.code} is already used`,
        { indicator: item.code },
      );
    }
    extraCodes.add(item.code);
  }
  for (const item of [...(plan.bonus ?? []), ...(plan.penalties ?? [])]) {
    if (item.node !== undefined && !byCode.has(item.node))
      return engineError(
        "UNKNOWN_INDICATOR",
        `加减分项 ${item.code} 的 node 指向不存在的指标 ${item.node}`,
        `bonus/penalty item ${item.code}: its node ${item.node} is not an indicator`,
        { indicator: item.node },
      );
  }
  return null;
}

/**
 * The structure of `plan` where it differs from `given`'s plan only in indicators' weights (a what-if):
 * the same tree, units, categories and targets, the nodes' points resolved again and checked as
 * buildPlanStructure checks them. Null where anything else differs, or a leaf's accepted values would
 * change (the caller then builds the structure from nothing, which checks the data against it).
 */
export function reweighStructure(given: PlanStructure, plan: Plan): Result<PlanStructure> | null {
  const before = given.plan;
  if (
    plan.units !== before.units ||
    plan.categories !== before.categories ||
    plan.grades !== before.grades ||
    plan.pointsTotal !== before.pointsTotal ||
    plan.targets !== before.targets ||
    Object.keys(plan).some((k) => k !== "indicators" && plan[k as keyof Plan] !== before[k as keyof Plan])
  )
    return null;
  const specs: IndicatorSpec[] = [];
  const visit = (spec: IndicatorSpec) => {
    specs.push(spec);
    for (const child of spec.children ?? []) visit(child);
  };
  for (const spec of plan.indicators) visit(spec);
  if (specs.length !== given.nodes.length) return null;
  const nodes: PlanNode[] = [];
  for (let i = 0; i < given.nodes.length; i++) {
    const node = given.nodes[i]!;
    const spec = specs[i]!;
    const old = node.spec;
    // The same spec but for its weight and children: every key of either the same in both.
    if (spec !== old) {
      for (const k in spec)
        if (
          k !== "weight" &&
          k !== "children" &&
          spec[k as keyof IndicatorSpec] !== old[k as keyof IndicatorSpec]
        )
          return null;
      for (const k in old)
        if (
          k !== "weight" &&
          k !== "children" &&
          spec[k as keyof IndicatorSpec] !== old[k as keyof IndicatorSpec]
        )
          return null;
    }
    if ((spec.children?.length ?? 0) !== (old.children?.length ?? 0)) return null;
    // A copy with the node's shape (a leaf's value rule is resolved again below).
    nodes.push({
      ...node,
      spec,
      points: spec.points ?? (spec.adjustment ? 0 : Number.NaN),
      weight: spec.weight ?? Number.NaN,
    });
  }
  const pointsError = resolvePoints(plan, nodes, given.countedRoots);
  if (pointsError) return fail(pointsError);
  for (let k = 0; k < given.leaves.length; k++) {
    const node = nodes[given.leaves[k]!]!;
    const i = given.leaves[k]!;
    const e = checkRule(node);
    if (e) return fail(e);
    const accepts = resolveValueRule(plan, node, given.targets[k]!);
    if ("code" in accepts) return fail(accepts);
    if (!sameValueRule(accepts, given.nodes[i]!.accepts)) return null;
    node.accepts = accepts;
  }
  return ok({
    ...given,
    plan,
    nodes,
    maxBase: given.countedRoots.reduce((s, r) => s + nodes[r]!.points, 0),
  });
}

/** Whether two value rules accept the same values (a what-if's weight change mostly leaves them as they were). */
function sameValueRule(a: ValueRule, b: ValueRule | undefined): boolean {
  return (
    b !== undefined &&
    a.mark === b.mark &&
    a.min === b.min &&
    a.max === b.max &&
    a.decimals === b.decimals &&
    a.rank === b.rank &&
    (a.decimalsFrom === b.decimalsFrom ||
      JSON.stringify(a.decimalsFrom) === JSON.stringify(b.decimalsFrom)) &&
    (a.yesNoTargets === b.yesNoTargets || JSON.stringify(a.yesNoTargets) === JSON.stringify(b.yesNoTargets))
  );
}
