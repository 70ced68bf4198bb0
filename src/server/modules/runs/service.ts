import { and, eq, inArray, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import {
  canonicalJson,
  type DataRow,
  type Plan,
  type ScoringRun,
  type UnitResult,
} from "../../../engine/index.js";
import { type Actor, auditedBy } from "../../actor.js";
import { type Database, resultRows } from "../../db/client.js";
import { planVersions, reportedValues, scoringRuns } from "../../db/schema/index.js";
import { notFound } from "../../errors.js";
import { type PageQuery, readPageOf } from "../../pagination.js";
import type { AssessmentService } from "../assessments/service.js";
import { appendAudit } from "../audit/service.js";
import { type TargetService, withAdjustedTargets } from "../targets/service.js";
import { type DiffSide, diffRuns } from "./diff.js";
import { packInputs, runInputs } from "./inputs.js";
import type { RunDiff } from "./schema.js";
import { canonicalRows, explainedAs, explainUnit, type RunInputs, scoreInputs } from "./scoring.js";

export type { RunInputs } from "./scoring.js";

/**
 * A run with the plan and version number it scored (`planVersion`: the version's number), its frozen
 * inputs read from whichever column holds them (runs/inputs.ts).
 */
async function readRun(db: Database, runId: string) {
  const [row] = await db
    .select({ run: scoringRuns, planId: planVersions.planId, planVersion: planVersions.version })
    .from(scoringRuns)
    .innerJoin(planVersions, eq(planVersions.id, scoringRuns.planVersionId))
    .where(eq(scoringRuns.id, runId));
  if (!row) throw notFound("计分结果不存在", "scoring run not found");
  const { inputsGz: _stored, ...run } = row.run;
  return { ...run, inputs: await runInputs(row.run), planId: row.planId, planVersion: row.planVersion };
}

/**
 * A run's summary and result with the plan and version it scored, reading neither inputs column: the
 * office's run page needs only the result, and a province's inputs are hundreds of MB unzipped.
 */
async function readRunResult(db: Database, runId: string) {
  const r = scoringRuns;
  const [row] = await db
    .select({
      id: r.id,
      planVersionId: r.planVersionId,
      inputHash: r.inputHash,
      engineVersion: r.engineVersion,
      result: r.result,
      createdAt: r.createdAt,
      planId: planVersions.planId,
      planVersion: planVersions.version,
    })
    .from(r)
    .innerJoin(planVersions, eq(planVersions.id, r.planVersionId))
    .where(eq(r.id, runId));
  if (!row) throw notFound("计分结果不存在", "scoring run not found");
  return row;
}
/**
 * Which of a run's units to read: those of one category (a city of a province's plan), those in none
 * (单列, `standalone`), or of one office (汇总部门), and of those one page in the result's order.
 * Nothing given: every unit.
 */
export interface UnitSelection {
  category?: string | undefined;
  standalone?: boolean | undefined;
  office?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

/** How many units matched a selection, and the page of them the result holds. */
export interface UnitsRead {
  total: number;
  page: number | null;
  pageSize: number | null;
}

/**
 * A run's result with only the units selected, cut out by PostgreSQL in one statement (a jsonpath
 * filter and slice of the stored units, no row per unit): the result's other members and the page of
 * units are all that leave the database (a province's result is tens of MB of JSONB, the office reads
 * it a city at a time).
 */
async function readRunResultUnits(db: Database, runId: string, select: UnitSelection) {
  // The filter is made of these fixed pieces; what the caller gave goes in as jsonpath variables.
  const tests = [
    select.category !== undefined ? "@.category == $category" : null,
    select.standalone ? "@.category == null" : null,
    select.office !== undefined ? "@.office.code == $office" : null,
  ].filter((t) => t !== null);
  const path = tests.length > 0 ? `$[*] ? (${tests.join(" && ")})` : "$[*]";
  const paged = select.page !== undefined || select.pageSize !== undefined;
  const pageSize = select.pageSize ?? 100;
  const page = select.page ?? 1;
  const vars = JSON.stringify({
    category: select.category ?? null,
    office: select.office ?? null,
    from: (page - 1) * pageSize,
    to: page * pageSize - 1,
  });
  const r = scoringRuns;
  const v = planVersions;
  // OFFSET 0 keeps the subquery whole, so the selected units are worked out once, not per use.
  const [row] = resultRows<{
    id: string;
    planVersionId: string;
    inputHash: string;
    engineVersion: string;
    createdAt: string;
    planId: string;
    planVersion: number;
    head: Omit<ScoringRun, "units">;
    total: number | string;
    units: UnitResult[];
  }>(
    await db.execute(sql`
      SELECT s.id, s.plan_version_id AS "planVersionId", s.input_hash AS "inputHash",
             s.engine_version AS "engineVersion", s.created_at AS "createdAt", s.plan_id AS "planId",
             s.version AS "planVersion", s.head, jsonb_array_length(s.selected) AS total,
             ${paged ? sql`jsonb_path_query_array(s.selected, '$[$from to $to]', ${vars}::jsonb)` : sql`s.selected`} AS units
      FROM (
        SELECT ${r.id} AS id, ${r.planVersionId} AS plan_version_id, ${r.inputHash} AS input_hash,
               ${r.engineVersion} AS engine_version, to_char(${r.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, ${v.planId} AS plan_id,
               ${v.version} AS version, whole.result - 'units' AS head,
               jsonb_path_query_array(whole.result -> 'units', ${path}::jsonpath, ${vars}::jsonb) AS selected
        FROM ${r} JOIN ${v} ON ${v.id} = ${r.planVersionId}
          -- The stored result decompressed once: each use of the column itself would decompress it
          -- again (|| with {} returns it detoasted): a sixth of a category's read of a 10,000-unit result.
          CROSS JOIN LATERAL (SELECT ${r.result} || '{}'::jsonb AS result OFFSET 0) whole
        WHERE ${r.id} = ${runId}
        OFFSET 0
      ) s`),
  );
  if (!row) throw notFound("计分结果不存在", "scoring run not found");
  const { head, total, units, createdAt, ...summary } = row;
  const read: UnitsRead = {
    total: Number(total),
    page: paged ? page : null,
    pageSize: paged ? pageSize : null,
  };
  return {
    ...summary,
    createdAt: new Date(createdAt),
    result: { ...head, units } as ScoringRun,
    units: read,
  };
}

/** A stored run with the plan and version number it scored. */
export type StoredRun = Awaited<ReturnType<typeof readRun>>;

/** Scoring runs: the engine on approved data, frozen with their inputs so they re-run exactly. */
export function createRunService(deps: {
  db: Database;
  // Both required: a run must score the approved target adjustments, marks and items, never skip them.
  targets: TargetService;
  assessments: AssessmentService;
}) {
  const { db } = deps;
  /**
   * Recent explanations by run and unit: each costs a full scoring of the run's inputs, and a run never
   * changes, so a unit's page read again is answered from here without loading the run.
   */
  const explanations = new LRUCache<string, UnitResult>({ max: 100 });

  const get = (runId: string) => readRun(db, runId);

  /** A run of any version of the plan (runs before a revision stay readable); another plan's is not found. */
  const ofPlan = async (planId: string, runId: string) => {
    const run = await get(runId);
    if (run.planId !== planId) throw notFound("计分结果不存在", "scoring run not found");
    return run;
  };

  /** Refuses (404) a run that is not of the plan, reading only the run's plan, not its inputs or result. */
  const assertOfPlan = async (planId: string, runId: string) => {
    const [row] = await db
      .select({ planId: planVersions.planId })
      .from(scoringRuns)
      .innerJoin(planVersions, eq(planVersions.id, scoringRuns.planVersionId))
      .where(eq(scoringRuns.id, runId));
    if (row?.planId !== planId) throw notFound("计分结果不存在", "scoring run not found");
  };

  /**
   * A run's result (not its inputs) of any version of the plan, with every unit or the units selected;
   * another plan's is not found.
   */
  const resultOfPlan = async (planId: string, runId: string, select: UnitSelection = {}) => {
    const whole = Object.values(select).every((v) => v === undefined);
    const run = whole
      ? await readRunResult(db, runId).then((r) => ({
          ...r,
          units: { total: (r.result as ScoringRun).units.length, page: null, pageSize: null } as UnitsRead,
        }))
      : await readRunResultUnits(db, runId, select);
    if (run.planId !== planId) throw notFound("计分结果不存在", "scoring run not found");
    return run;
  };

  return {
    ofPlan,
    resultOfPlan,
    assertOfPlan,
    /**
     * Scores the approved data of a version with the frozen inputs kept beside the result, audited. The
     * result stored is the numbers (points per unit and node, totals, ranks, grades, reasons), without
     * traces: a unit's trace is written when it is asked for (explain), from the frozen inputs.
     */
    async create({
      planVersionId,
      plan,
      actor,
      within,
    }: {
      planVersionId: string;
      plan: Plan;
      actor: Actor;
      /** More work of the same transaction, given the run (a job's end: see FinishWithin). */
      within?: (tx: Database, run: { id: string; inputHash: string }) => Promise<void>;
    }) {
      // Only the columns a data row takes: a province's run reads millions of rows (docs/scale.md).
      const rv = reportedValues;
      const approved = await db
        .select({
          unitCode: rv.unitCode,
          indicator: rv.indicator,
          period: rv.period,
          value: rv.value,
          source: rv.source,
        })
        .from(reportedValues)
        .where(and(eq(reportedValues.planVersionId, planVersionId), eq(reportedValues.status, "approved")));
      const marksAndItems = await deps.assessments.rows(planVersionId, plan.period.key);
      const values: DataRow[] = approved.map((v) => ({
        unit: v.unitCode,
        indicator: v.indicator,
        period: v.period,
        value: v.value,
        ...(v.source ? { source: v.source } : {}),
      }));
      // A canonical order, so the frozen inputs do not depend on the order rows came back in.
      const rows = canonicalRows([...values, ...marksAndItems]);
      // The plan as scored: approved target adjustments applied; frozen into the run so re-runs are exact.
      const adjusted = withAdjustedTargets(plan, await deps.targets.approved(planVersionId));
      const inputs: RunInputs = { plan: adjusted, rows };
      const result = scoreInputs(inputs, []);
      // Gzipped and hashed as a stream, before the transaction: it holds no lock meanwhile.
      const packed = await packInputs(inputs, result);
      return db.transaction(async (tx) => {
        const [run] = await tx
          .insert(scoringRuns)
          .values({
            planVersionId,
            engineVersion: result.engineVersion,
            inputHash: result.inputHash.run,
            ...packed.columns,
            result,
            createdBy: actor.id,
          })
          .returning({ id: scoringRuns.id, createdAt: scoringRuns.createdAt });
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: "run.create",
          entity: "scoring_run",
          entityId: run!.id,
          // The run's content hash ties the stored inputs and result to the (keyed) audit chain.
          after: {
            inputHash: result.inputHash.run,
            values: rows.length,
            contentHash: packed.contentHash,
          },
        });
        await within?.(tx, { id: run!.id, inputHash: result.inputHash.run });
        return { id: run!.id, inputHash: result.inputHash.run, result };
      });
    },

    get,

    /**
     * One page of a plan's runs, of every version (a revision does not hide the runs before it), with
     * the version each scored: their summaries, not their inputs and results.
     */
    list(planId: string, query: PageQuery) {
      const r = scoringRuns;
      const versions = db
        .select({ id: planVersions.id })
        .from(planVersions)
        .where(eq(planVersions.planId, planId));
      return readPageOf(
        db,
        r,
        query,
        { search: [r.inputHash, r.engineVersion], sort: { createdAt: r.createdAt }, unique: r.id },
        [inArray(r.planVersionId, versions)],
        ({ where, orderBy, limit, offset }) =>
          db
            .select({
              id: r.id,
              inputHash: r.inputHash,
              engineVersion: r.engineVersion,
              planVersion: planVersions.version,
              createdAt: r.createdAt,
            })
            .from(r)
            .innerJoin(planVersions, eq(planVersions.id, r.planVersionId))
            .where(where)
            .orderBy(...orderBy)
            .limit(limit)
            .offset(offset),
      );
    },

    /**
     * One unit's result in a run with its trace: the stored one for a run stored with traces, else
     * scored again from the frozen inputs (see explainUnit); the run is loaded only when not kept.
     */
    async explain(runId: string, unit: string): Promise<UnitResult> {
      const key = `${runId}\u0000${unit}`;
      const kept = explanations.get(key);
      if (kept) return kept;
      const run = await get(runId);
      const explained = explainUnit(run.inputs, run.result as ScoringRun, unit);
      explanations.set(key, explained);
      return explained;
    },

    /**
     * Scores a stored run's inputs again and says whether the result is byte-for-byte the same (with
     * every trace for a run stored with them, without for one stored without).
     */
    async rerun(runId: string): Promise<{ identical: boolean; inputHash: string }> {
      const run = await get(runId);
      const again = scoreInputs(run.inputs, explainedAs(run.result as ScoringRun));
      return {
        identical: canonicalJson(again) === canonicalJson(run.result),
        inputHash: again.inputHash.run,
      };
    },

    /** What changed between two runs (as `get` reads them): inputs, and unit by unit totals, ranks, grades. */
    diff(from: StoredRun, to: StoredRun): RunDiff {
      const side = (run: StoredRun): DiffSide => ({
        id: run.id,
        planVersion: run.planVersion,
        inputHash: run.inputHash,
        inputs: run.inputs,
        result: run.result as ScoringRun,
      });
      return diffRuns(side(from), side(to));
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;
