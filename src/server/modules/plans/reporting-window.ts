import { and, eq } from "drizzle-orm";
import type { PlanStructure } from "../../../engine/index.js";
import type { Database } from "../../db/client.js";
import { reopenings } from "../../db/schema/index.js";
import { AppError } from "../../errors.js";
import { templateRows } from "../uploads/templates.js";

/**
 * The reporting window (填报窗口), the one home of "may this be written now?". Every write about a
 * plan's data asks it: units' values, template uploads, evidence, submissions, bonus claims and target
 * requests (`assertUnitOpen`: the plan in force, before the deadline or within the unit's reopening);
 * the office's and reviewers' writes (`assertInForce`: the plan in force, whatever the deadline);
 * and every write of one cell (`assertCell`: an indicator and period units report; `assertEditable`:
 * the cell is not under review or approved). Each reason has one code and one message in both
 * languages:
 *
 * | code | when |
 * |---|---|
 * | `PLAN_DRAFT` | the plan is not published yet: nothing can be reported |
 * | `PLAN_FROZEN` | the plan is frozen: reporting has ended, scoring inputs are fixed |
 * | `DEADLINE_PASSED` | past the deadline (or the unit's reopening has ended) |
 * | `LOCKED` | the value is submitted (under review) or approved |
 * | `UNKNOWN_PERIOD` | the indicator has no reported entry for that period |
 */
export type Closure = "PLAN_DRAFT" | "PLAN_FROZEN" | "DEADLINE_PASSED";

/** What the window needs of a plan version: its id, status and deadline (`PlanService.head` gives them). */
export interface WindowVersion {
  id: string;
  status: string;
  deadline: Date | null;
}

/** The state of reporting for the plan, or for one unit of it. */
export interface WindowState {
  open: boolean;
  /** Why it is closed; null when open. */
  closedBy: Closure | null;
  deadline: string | null;
  /** The unit's reopening (补报) after the deadline, if it has one. */
  reopenedUntil: string | null;
}

const at = (d: Date) => d.toISOString();

/** The refusal for a closed window, in both languages. */
export function closedError(reason: Closure, detail: { deadline?: Date | null; until?: Date | null } = {}) {
  switch (reason) {
    case "PLAN_DRAFT":
      return new AppError(409, reason, {
        "zh-CN": "方案尚未发布，不能填报或录入",
        en: "the plan is not published yet; nothing can be reported or recorded",
      });
    case "PLAN_FROZEN":
      return new AppError(409, reason, {
        "zh-CN": "方案已冻结，填报已结束，不能再修改考核数据",
        en: "the plan is frozen: reporting has ended and assessment data can no longer change",
      });
    case "DEADLINE_PASSED": {
      const when = detail.until ?? detail.deadline;
      const zhWhen = when ? `（${detail.until ? "补报截止" : "截止"} ${at(when)}）` : "";
      const enWhen = when ? ` (${detail.until ? "reopened until" : "deadline"} ${at(when)})` : "";
      return new AppError(409, reason, {
        "zh-CN": `已过填报截止时间${zhWhen}，如需补报请联系考核办`,
        en: `the reporting deadline has passed${enWhen}; ask the office to reopen reporting for your unit`,
      });
    }
  }
}

/** The refusal to change a value that is under review or approved (or its evidence). */
export const lockedError = () =>
  new AppError(
    409,
    "LOCKED",
    { "zh-CN": "已提交或已审核的数据不能修改", en: "submitted or approved values cannot be changed" },
    "indicator",
  );

/** Whether a value in this status may still be changed (or deleted) by its unit. */
export const editable = (status: string | undefined) => status !== "submitted" && status !== "approved";

/** Throws LOCKED unless a value in this status (undefined: none yet) may still be changed. */
export function assertEditable(status: string | undefined): void {
  if (!editable(status)) throw lockedError();
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * The cells units report (as in the value template), per structure: a structure never changes. With a
 * unit, that unit's own (a leaf that does not apply to it, 适用单位, is none of its cells).
 */
const cellsOf = new WeakMap<PlanStructure, Map<string, Set<string>>>();
export function reportedCells(structure: PlanStructure, unit?: string): Set<string> {
  let byUnit = cellsOf.get(structure);
  if (!byUnit) {
    byUnit = new Map();
    cellsOf.set(structure, byUnit);
  }
  // Every unit has the plan's cells unless a leaf applies to some units only.
  const key = unit !== undefined && structure.leaves.some((i) => structure.nodes[i]!.appliesTo) ? unit : "";
  let cells = byUnit.get(key);
  if (!cells) {
    cells = new Set(templateRows(structure, key, []).map((r) => `${r.indicator}\u0000${r.period}`));
    byUnit.set(key, cells);
  }
  return cells;
}

/**
 * Refuses (400) an indicator and period that are not a cell units report: an indicator of the plan
 * (not an aggregate, an expert mark or an item) for the plan period or an earlier period its rule
 * compares with. The field says which is wrong.
 */
export function assertCell(structure: PlanStructure, indicator: string, period: string): void {
  if (reportedCells(structure).has(`${indicator}\u0000${period}`)) return;
  const node = structure.nodes[structure.byCode.get(indicator) ?? -1];
  if (!node || node.children.length > 0 || node.rule?.type === "expert")
    throw new AppError(
      400,
      "UNKNOWN_INDICATOR",
      {
        "zh-CN": `${clip(indicator)} 不是本方案中由单位填报的指标`,
        en: `${clip(indicator)} is not an indicator units report in this plan`,
      },
      "indicator",
    );
  throw new AppError(
    400,
    "UNKNOWN_PERIOD",
    {
      "zh-CN": `指标 ${indicator} 没有期间 ${clip(period)} 的填报项`,
      en: `indicator ${indicator} has no entry for period ${clip(period)}`,
    },
    "period",
  );
}

/** Refuses (400) a period other than the plan's own (marks, bonus and penalty items are for the plan period). */
export function assertPlanPeriod(structure: PlanStructure, period: string): void {
  if (period === structure.plan.period.key) return;
  throw new AppError(
    400,
    "UNKNOWN_PERIOD",
    {
      "zh-CN": `期间须为方案期间 ${structure.plan.period.key}，不是 ${clip(period)}`,
      en: `the period must be the plan's period ${structure.plan.period.key}, not ${clip(period)}`,
    },
    "period",
  );
}

/** The plan-status half of the window: in force (published), or why not. */
function statusClosure(status: string): Closure | null {
  if (status === "published") return null;
  return status === "draft" ? "PLAN_DRAFT" : "PLAN_FROZEN";
}

export function createReportingWindow(deps: { db: Database; now: () => Date }) {
  const { db, now } = deps;

  async function reopenedUntil(versionId: string, unit: string): Promise<Date | null> {
    const [r] = await db
      .select({ until: reopenings.until })
      .from(reopenings)
      .where(and(eq(reopenings.planVersionId, versionId), eq(reopenings.unitCode, unit)));
    return r?.until ?? null;
  }

  /** The window for the plan (without a unit: the deadline alone) or for one unit (its reopening too). */
  async function state(version: WindowVersion, unit?: string): Promise<WindowState> {
    const deadline = version.deadline ? at(version.deadline) : null;
    const until = unit === undefined ? null : await reopenedUntil(version.id, unit);
    const closure = statusClosure(version.status);
    const base = { deadline, reopenedUntil: until ? at(until) : null };
    if (closure) return { open: false, closedBy: closure, ...base };
    const t = now();
    if (!version.deadline || t <= version.deadline || (until && t <= until))
      return { open: true, closedBy: null, ...base };
    return { open: false, closedBy: "DEADLINE_PASSED", ...base };
  }

  return {
    state,

    /** The window of every unit of the plan at once (one read of the reopenings). */
    async unitStates(version: WindowVersion, units: readonly string[]): Promise<Map<string, WindowState>> {
      const rows = await db
        .select({ unit: reopenings.unitCode, until: reopenings.until })
        .from(reopenings)
        .where(eq(reopenings.planVersionId, version.id));
      const until = new Map(rows.map((r) => [r.unit, r.until]));
      const plan = await state(version);
      const t = now();
      return new Map(
        units.map((unit) => {
          const u = until.get(unit) ?? null;
          const reopened = plan.closedBy === "DEADLINE_PASSED" && u !== null && t <= u;
          const open = plan.open || reopened;
          return [
            unit,
            { ...plan, open, closedBy: open ? null : plan.closedBy, reopenedUntil: u ? at(u) : null },
          ];
        }),
      );
    },

    /**
     * Throws unless the unit may report now: the plan in force, and before its deadline or within the
     * unit's reopening. Every write a unit makes asks this.
     */
    async assertUnitOpen(version: WindowVersion, unit: string): Promise<void> {
      const s = await state(version, unit);
      if (s.closedBy)
        throw closedError(s.closedBy, {
          deadline: version.deadline,
          until: s.reopenedUntil ? new Date(s.reopenedUntil) : null,
        });
    },

    /**
     * Throws unless the plan is in force (published, not frozen): the writes of the office and the
     * reviewers (imports, marks, penalties, reviews, decisions), which the deadline does not close.
     */
    assertInForce(version: { status: string }): void {
      const closure = statusClosure(version.status);
      if (closure) throw closedError(closure);
    },
  };
}

export type ReportingWindow = ReturnType<typeof createReportingWindow>;
