import {
  buildPlanStructure,
  checkIndicatorDepth,
  describeIssue,
  formatPath,
  indicatorOnPath,
  type Lang,
  type Plan,
  type PlanStructure,
  planOrganisations,
  planSchema,
  quotaLimit,
  unknownLead,
} from "../../../engine/index.js";

/** One fault in the plan being designed: where (an indicator's code, or a JSON path) and why. */
export interface Problem {
  code: string;
  /** The indicator at fault, shown on its node; null: the plan as a whole (its path says where). */
  indicator: string | null;
  path: string | null;
  /** The unit at fault (a unit in no category, 单列 in one…), shown on its row of the units tab. */
  unit?: string;
  message: Record<Lang, string>;
}

/**
 * Checks the document as the server will (src/server/modules/plans/service.ts: depth, the schema,
 * then the engine's semantic checks), with every schema issue rather than the first, each placed on
 * its indicator. The semantic checks stop at their first fault, as the engine does. A lead department
 * (牵头部门) must be a unit of the plan, in its organisations, or one of `registered` (the server's
 * registered organisations, when loaded).
 */
export function checkPlan(
  document: Plan,
  registered: readonly string[] = [],
): { problems: Problem[]; structure: PlanStructure | null } {
  const deep = checkIndicatorDepth(document);
  if (deep)
    return {
      problems: [{ code: deep.code, indicator: deep.indicator ?? null, path: null, message: deep.message }],
      structure: null,
    };
  const parsed = planSchema.safeParse(document);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.slice(0, 50).map((issue) => ({
        code: "INVALID_PLAN",
        indicator: indicatorOnPath(document, issue.path)?.code ?? null,
        path: formatPath(issue.path),
        message: describeIssue(issue, document),
      })),
      structure: null,
    };
  }
  const built = buildPlanStructure(parsed.data);
  if (!built.ok) {
    const e = built.error;
    return {
      problems: [
        {
          code: e.code,
          indicator: e.indicator ?? null,
          path: null,
          ...(e.unit !== undefined ? { unit: e.unit } : {}),
          message: e.message,
        },
      ],
      structure: null,
    };
  }
  const lead = unknownLead(built.value, new Set([...planOrganisations(built.value), ...registered]));
  if (lead)
    return {
      problems: [{ code: lead.code, indicator: lead.indicator ?? null, path: null, message: lead.message }],
      structure: built.value,
    };
  return { problems: [], structure: built.value };
}

/** One grade's quota in one category, with the engine's arithmetic. */
export interface QuotaLine {
  grade: string;
  category: string;
  categoryName: string;
  size: number;
  limit: number;
  rule: Record<Lang, string>;
}

/** Every grade's quota in every category, sized by its ranked (not 单列) units, as grading works it out. */
export function quotaLines(plan: Plan): QuotaLine[] {
  const standalone = new Set(plan.units.filter((u) => u.standalone).map((u) => u.code));
  return plan.categories.flatMap((c) => {
    const size = c.units.filter((u) => !standalone.has(u)).length;
    return (plan.grades ?? []).map((g, k) => {
      const q = quotaLimit(plan, k, c.code, size);
      return { grade: g.code, category: c.code, categoryName: c.name, size, limit: q.limit, rule: q.rule };
    });
  });
}
