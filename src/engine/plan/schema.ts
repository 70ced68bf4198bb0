import { z } from "zod";
import { normaliserSchema } from "../spec.js";

/**
 * The assessment plan (考核方案) document, format `kaohe-plan/1`. This zod schema is the single
 * definition: the code validates with it and `kaohe plan schema` publishes it as JSON Schema.
 */

export const PLAN_FORMAT = "kaohe-plan/1";

const code = z.string().min(1).describe("a stable code, unique within its list");
const name = z.string().min(1);

/** 完成率计分: points by completion of the target. */
const completionRule = z
  .strictObject({
    type: z.literal("completion"),
    floor: z.number().min(0).optional().describe("completion below this share (e.g. 0.6) scores 0"),
    below: z
      .enum(["proportional", "deduct"])
      .optional()
      .describe("under target: points x completion (default), or points - deductPerPercent per point short"),
    deductPerPercent: z.number().positive().optional(),
    bonusCap: z
      .number()
      .min(0)
      .optional()
      .describe("over-achievement bonus, capped at this share of the points (0 = none)"),
    bonusPerPercent: z
      .number()
      .positive()
      .optional()
      .describe("bonus per percentage point above target (default pro rata)"),
  })
  .describe("target completion (完成率计分)");

/** 阶梯计分: thresholds, best first. */
const tiersRule = z
  .strictObject({
    type: z.literal("tiers"),
    basis: z
      .enum(["value", "completion"])
      .optional()
      .describe("compare the value (default) or the completion ratio"),
    tiers: z
      .array(z.strictObject({ threshold: z.number(), points: z.number().min(0) }))
      .min(1)
      .describe(
        "best first: the first tier reached (>= for higher-is-better, <= otherwise) gives its points",
      ),
  })
  .describe("tiers (阶梯计分)");

/** 达到得分，否则不得分. */
const yesNoRule = z
  .strictObject({
    type: z.literal("yesno"),
    threshold: z
      .number()
      .optional()
      .describe("achieved when value reaches it (default: the target, else 1 = yes)"),
  })
  .describe("yes/no (达到得分，否则不得分)");

/** 位次计分: by rank among peers, or an external rank given as data (全省第N位). */
const rankRule = z
  .strictObject({
    type: z.literal("rank"),
    source: z
      .enum(["peers", "external"])
      .describe("peers: rank the values within the plan; external: the value is a rank"),
    scope: z
      .enum(["all", "category"])
      .optional()
      .describe("peers: rank among all units (default) or within the category"),
    step: z
      .strictObject({
        points: z.number().min(0).optional(),
        percent: z.number().min(0).max(100).optional(),
        first: z
          .number()
          .min(0)
          .optional()
          .describe("points of the first place, when less than the indicator's full points"),
      })
      .optional()
      .describe("first place full points (or `first`), minus this per place"),
    table: z
      .strictObject({
        top: z.array(z.number()).optional().describe("points for places 1, 2, ... (e.g. [5,4,3,2,1])"),
        bottom: z
          .array(z.number())
          .optional()
          .describe("points for the last places, last first (e.g. [-5,-4,-3,-2,-1])"),
        of: z
          .number()
          .int()
          .positive()
          .optional()
          .describe("number of ranked places (external ranks: e.g. 11 cities)"),
        ofByUnit: z
          .record(z.string(), z.number().int().positive())
          .optional()
          .describe(
            "external ranks: the number of ranked places per unit, where units are ranked in lists of different sizes",
          ),
      })
      .optional(),
    improvement: z
      .strictObject({ perPlace: z.number().min(0), cap: z.number().min(0).optional() })
      .optional()
      .describe("进位加分: points per place gained over the previous period"),
    periods: z.array(z.string()).optional().describe("average over these periods (months, quarters)"),
    average: z.enum(["points", "rank"]).optional().describe("average the points (default) or the ranks"),
  })
  .describe("rank (位次计分)");

/** Peer-relative scores through an engine normaliser, or a standard / base-year index. */
const relativeRule = z
  .strictObject({
    type: z.literal("relative"),
    normaliser: z
      .union([
        normaliserSchema,
        z.strictObject({ method: z.literal("standard"), standard: z.number().positive() }),
        z.strictObject({ method: z.literal("baseIndex"), basePeriod: z.string() }),
      ])
      .describe(
        "engine normaliser; standard = value / standard value (指数法); baseIndex = value / base-year value x 100",
      ),
    outOf: z
      .number()
      .positive()
      .optional()
      .describe("normalised value that earns full points (default 1; 100 for indices)"),
    alternatives: z
      .array(normaliserSchema)
      .optional()
      .describe("other normalisers a sensitivity analysis may switch to"),
  })
  .describe("peer-relative (相对评价)");

/** 评审打分: several reviewers, trimmed mean. */
const expertRule = z
  .strictObject({
    type: z.literal("expert"),
    trim: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe("marks dropped at each end (default 1: highest and lowest)"),
    markMax: z.number().positive().optional().describe("full mark (default: the item's points)"),
  })
  .describe("expert marks (评审打分)");

/** A mark out of markMax (e.g. 民主测评 out of 100) scaled to the points. */
const markRule = z
  .strictObject({ type: z.literal("mark"), markMax: z.number().positive().optional() })
  .describe("a mark scaled to the points (民主测评, 社会评价)");

export const ruleSchema = z.discriminatedUnion("type", [
  completionRule,
  tiersRule,
  yesNoRule,
  rankRule,
  relativeRule,
  expertRule,
  markRule,
]);
export type Rule = z.infer<typeof ruleSchema>;
export type RuleType = Rule["type"];

export const dataTypes = ["number", "percent", "count", "amount", "yesno", "rank", "expert"] as const;

export interface IndicatorSpec {
  code: string;
  name: string;
  nameEn?: string | undefined;
  points?: number | undefined;
  weight?: number | undefined;
  combine?: "sum" | "weighted" | undefined;
  children?: IndicatorSpec[] | undefined;
  dataType?: (typeof dataTypes)[number] | undefined;
  unit?: string | undefined;
  direction?: 1 | -1 | undefined;
  evidence?: { required: boolean; description?: string | undefined } | undefined;
  rule?: Rule | undefined;
  must?: boolean | undefined;
  target?: number | undefined;
  lead?: string | undefined;
  /** Who enters the values: the units themselves (default), or the lead department for every unit. */
  scoredBy?: "unit" | "lead" | undefined;
  /** 拉开档次: the lead department must not tie units here; what follows a tie. */
  noTies?: "drop" | "flag" | undefined;
  values?: ValueRuleSpec | undefined;
  adjustment?: boolean | undefined;
  /** 适用单位: the units this adjustment leaf applies to (default: every unit of the plan). */
  appliesTo?: string[] | undefined;
}

/** 数值规则: the values a leaf accepts (range, decimal places), checked wherever a value comes in. */
export interface ValueRuleSpec {
  min?: number | undefined;
  max?: number | undefined;
  decimals?: number | undefined;
}

const decimals = z.number().int().min(0).max(9);

const valueRuleSchema = z
  .strictObject({
    min: z.number().optional().describe("the smallest value accepted"),
    max: z.number().optional().describe("the largest value accepted (refused above it, never capped)"),
    decimals: decimals.optional().describe("most decimal places (0 = whole numbers only)"),
  })
  .describe("数值规则: the values this leaf accepts on entry, upload, import and scoring");

export const indicatorSchema: z.ZodType<IndicatorSpec> = z.strictObject({
  code,
  name,
  nameEn: z.string().optional(),
  points: z.number().positive().optional().describe("分值: the node's maximum points"),
  weight: z.number().positive().optional().describe("weight among siblings, when points are not given"),
  combine: z
    .enum(["sum", "weighted"])
    .optional()
    .describe(
      "internal node: sum of the children's points (default) or points x weighted mean of their shares",
    ),
  get children() {
    return z.array(indicatorSchema).min(1).optional();
  },
  dataType: z.enum(dataTypes).optional(),
  unit: z.string().optional().describe("unit of measure"),
  direction: z
    .union([z.literal(1), z.literal(-1)])
    .optional()
    .describe("1 higher is better (default), -1 lower"),
  evidence: z.strictObject({ required: z.boolean(), description: z.string().optional() }).optional(),
  rule: ruleSchema.optional(),
  must: z.boolean().optional().describe("必达指标: failing it can block the top grades"),
  target: z.number().optional().describe("default target for every unit (per-unit targets in `targets`)"),
  lead: z
    .string()
    .min(1)
    .optional()
    .describe("牵头部门: the organisation whose reviewers review this node's values (children inherit it)"),
  scoredBy: z
    .enum(["unit", "lead"])
    .optional()
    .describe(
      "who enters the values: each unit its own (unit, the default), or the lead department's reporters for every unit (lead: the unit itself may not); children inherit it",
    ),
  noTies: z
    .enum(["drop", "flag"])
    .optional()
    .describe(
      "拉开档次: the lead department must not give two units the same points on this leaf; on a tie, drop (it leaves the annual total and its parent is rescaled to its other items) or flag (the office is told); the breach is recorded in the run",
    ),
  values: valueRuleSchema.optional(),
  adjustment: z
    .boolean()
    .optional()
    .describe(
      "加减分: a leaf whose points are added to its parent's score (at the top level, to the total) outside full marks: not counted in the parent's points, e.g. a rank table's +5..-5",
    ),
  appliesTo: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe(
      "适用单位: unit codes this adjustment leaf applies to (default every unit), e.g. a provincial indicator one department answers for; other units report nothing there and get nothing from it. Only on adjustment leaves: outside full marks, a unit without it needs no rescaling",
    ),
});

const quotaSchema = z.strictObject({
  share: z.number().min(0).optional().describe("share of the category's ranked units, e.g. 0.3"),
  count: z.number().int().min(0).optional(),
  rounding: z
    .enum(["floor", "round", "ceil"])
    .optional()
    .describe("how share x size becomes a count (default floor)"),
});

/** Where a bonus or penalty item applies: an indicator's score (outside its full marks), or the total. */
const adjustedNode = z
  .string()
  .min(1)
  .optional()
  .describe(
    "the indicator whose score it adjusts, before that is weighted into its parent, outside full marks (default: the total)",
  );

/** 评优评先: a grade or title that commends, withheld from the units in `noCommendation`. */
const commendation = z
  .boolean()
  .optional()
  .describe(
    "评优评先: this grade or title is a commendation, withheld from the units listed in noCommendation",
  );

/** Where a withholding came from: the earlier plan, run and breach, or the document that decided it. */
const noCommendationSource = z
  .strictObject({
    plan: z.string().min(1).optional().describe("the earlier plan's id"),
    planVersion: z.number().int().positive().optional(),
    period: z.string().min(1).optional().describe("the earlier period, e.g. 2023"),
    run: z.string().min(1).optional().describe("the earlier run's input hash (inputHash.run)"),
    breach: z.string().min(1).optional().describe("the breach's code, e.g. LEAD_TIED_SCORES"),
    indicator: z.string().min(1).optional().describe("the earlier plan's indicator the breach was on"),
    document: z.string().min(1).optional().describe("the decision's document, e.g. 市考核办〔2024〕3 号"),
  })
  .describe("where the withholding comes from (kaohe plan carry writes the earlier run and breach)");

export const planSchema = z.strictObject({
  format: z.literal(PLAN_FORMAT),
  id: code,
  version: z.number().int().positive().optional(),
  name,
  nameEn: z.string().optional(),
  period: z.strictObject({
    key: z.string().describe("the period scored, e.g. 2022, 2022-Q4"),
    previous: z.string().optional().describe("the period before, for 进位 (improvement) rules"),
  }),
  pointsTotal: z
    .number()
    .positive()
    .optional()
    .describe("when given, the top-level points must add up to it"),
  markDecimals: z
    .array(
      z.strictObject({
        minPoints: z.number().min(0).optional().describe("indicators worth at least these points"),
        maxPoints: z.number().min(0).optional().describe("indicators worth at most these points"),
        decimals: decimals.describe("most decimal places of a mark (0 = whole numbers only)"),
      }),
    )
    .optional()
    .describe(
      "precision of marks (rules mark and expert) by the indicator's points; the first entry that matches applies, an indicator's own values.decimals comes first",
    ),
  organisations: z
    .array(z.strictObject({ code, name, nameEn: z.string().optional() }))
    .optional()
    .describe(
      "organisations named by the plan that are not assessed units, e.g. lead departments (牵头部门): `kaohe score` checks every lead against the units and these (the server against its registered organisations)",
    ),
  units: z.array(
    z.strictObject({
      code,
      name,
      nameEn: z.string().optional(),
      standalone: z.boolean().optional().describe("单列: scored but not ranked or graded with the others"),
    }),
  ),
  categories: z.array(
    z.strictObject({ code, name, nameEn: z.string().optional(), units: z.array(z.string()) }),
  ),
  offices: z
    .array(
      z.strictObject({
        code,
        name,
        nameEn: z.string().optional(),
        units: z
          .array(z.string())
          .optional()
          .describe("the units it collects: a grouping for collection only, not a ranking category"),
        category: z
          .string()
          .optional()
          .describe(
            "instead of units: it collects exactly this category's units (the scheme ranks and grades them together, with the category's quotas)",
          ),
        ranks: z
          .boolean()
          .optional()
          .describe(
            "the office ranks the units it collects among themselves (officeRank), apart from their categories; grades and quotas stay the categories'",
          ),
      }),
    )
    .optional()
    .describe(
      "汇总部门: offices that collect the results of a group of units (e.g. counties by one commission, districts by another); each unit is in at most one; not ranking categories unless an office names its category",
    ),
  indicators: z.array(indicatorSchema).min(1),
  targets: z
    .record(z.string(), z.record(z.string(), z.number()))
    .optional()
    .describe("targets[indicator][unit]; overrides the indicator's own target"),
  baselines: z
    .record(z.string(), z.record(z.string(), z.number()))
    .optional()
    .describe("基期值 baselines[indicator][unit]: the value a target was set from, shown beside it"),
  bonus: z
    .array(
      z.strictObject({
        code,
        name,
        levels: z
          .record(z.string(), z.number().min(0))
          .describe("points by level, e.g. {国家级: 3, 省级: 2}"),
        highestOnly: z
          .boolean()
          .optional()
          .describe("one achievement counts once, at its highest level (default true)"),
        cap: z.number().min(0).optional().describe("most points per unit from this item"),
        node: adjustedNode,
      }),
    )
    .optional(),
  penalties: z
    .array(
      z
        .strictObject({
          code,
          name,
          perOccurrence: z
            .number()
            .min(0)
            .optional()
            .describe("points per occurrence: the data value is how many times (a whole number)"),
          amount: z
            .literal(true)
            .optional()
            .describe("the data value is the points deducted itself (e.g. as the province deducted)"),
          cap: z.number().min(0).optional().describe("most points deducted per unit for this item"),
          node: adjustedNode,
        })
        .refine((p) => (p.perOccurrence === undefined) !== (p.amount === undefined), {
          error:
            "give perOccurrence (points per occurrence) or amount: true (the value is the points), not both",
          path: ["perOccurrence"],
          // The message in Chinese, for readers that show issues in the user's language (kaohe plan validate).
          params: { "zh-CN": "须写 perOccurrence（每次扣分）或 amount: true（数值即扣分），二者选一" },
        }),
    )
    .optional(),
  caps: z
    .strictObject({
      bonus: z.number().min(0).optional().describe("most bonus points per unit, all items together"),
      penalty: z.number().min(0).optional(),
      total: z.number().optional().describe("the total never exceeds this"),
    })
    .optional(),
  vetoes: z
    .array(
      z.strictObject({
        code,
        name,
        grade: z.string().optional().describe("forces this grade"),
        ineligible: z
          .array(z.string())
          .optional()
          .describe("grades or titles (e.g. 先进单位) the unit can no longer get"),
        levels: z
          .array(z.string().min(1))
          .min(1)
          .optional()
          .describe(
            "a veto given as a category: the ratings a row may carry in its level column (e.g. 双评 好/较好/一般/较差)",
          ),
        triggeredBy: z
          .array(z.string().min(1))
          .min(1)
          .optional()
          .describe(
            "with levels: the ratings that trigger the veto (e.g. 较差); a row of another rating does not",
          ),
      }),
    )
    .optional(),
  noCommendation: z
    .array(
      z.strictObject({
        unit: z.string().min(1).describe("a unit of this plan"),
        reason: z
          .string()
          .min(1)
          .describe("why, as the explanation says it (e.g. 2023 年度牵头评分未拉开档次)"),
        reasonEn: z.string().min(1).optional(),
        source: noCommendationSource.optional(),
      }),
    )
    .optional()
    .describe(
      "取消评优评先资格: units that may not get this period's commendations (grades and titles marked commendation), each with its reason and source, e.g. carried from an earlier period's breach by kaohe plan carry",
    ),
  ranking: z
    .strictObject({
      ties: z.enum(["min", "breakers"]).optional(),
      breakers: z.array(z.string()).optional().describe("indicator codes compared in order to break ties"),
    })
    .optional(),
  grades: z
    .array(
      z.strictObject({
        code: z.string().min(1),
        name: z.string().optional(),
        nameEn: z.string().optional(),
        minScore: z.number().optional(),
        quota: quotaSchema.optional(),
        quotaByCategory: z.record(z.string(), quotaSchema).optional(),
        requires: z.array(z.enum(["noVeto", "noFailedMust"])).optional(),
        commendation,
      }),
    )
    .optional()
    .describe("best first; the last takes the rest (with a minScore, those below it get no grade)"),
  titles: z
    .array(
      z.strictObject({
        code: z.string().min(1),
        name: z.string().optional(),
        top: z.number().int().positive().describe("the top N of each category"),
        requiresGrade: z.string().optional(),
        commendation,
      }),
    )
    .optional()
    .describe("special titles such as 优胜单位"),
  publication: z
    .strictObject({
      noticeDays: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe("days of public notice (公示) before results are final (default 5)"),
      show: z
        .array(z.enum(["total", "rank", "grade", "titles", "scores"]))
        .optional()
        .describe("what the published pages show (default: grade and titles only)"),
      decimals: z
        .number()
        .int()
        .min(0)
        .max(9)
        .optional()
        .describe("decimal places of the numbers on published pages (default 2)"),
      republish: z
        .enum(["restart", "continue"])
        .optional()
        .describe(
          "when a new publication supersedes an earlier one: the notice restarts for noticeDays (default), or continues to the earlier one's end",
        ),
    })
    .optional()
    .describe("public notice and what the public sees"),
});

export type Plan = z.infer<typeof planSchema>;

/** The JSON Schema of the plan format, generated from the zod schema above. */
export function planJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(planSchema, { target: "draft-2020-12" }) as Record<string, unknown>;
}
