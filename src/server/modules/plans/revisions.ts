import { and, asc, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { appliesTo, diffPlans, type Plan, type PlanDiff, type PlanStructure } from "../../../engine/index.js";
import { type Actor, auditedBy } from "../../actor.js";
import { type Database, resultRows } from "../../db/client.js";
import {
  claimEvidence,
  claims,
  evidence,
  expertMarks,
  plans,
  planVersions,
  publications,
  reopenings,
  reportedValues,
  spotCheckItems,
  spotChecks,
  targetAdjustments,
  users,
} from "../../db/schema/index.js";
import { appError, notFound } from "../../errors.js";
import { appendAudit } from "../audit/service.js";
import { templateRows } from "../uploads/templates.js";
import { lockUnitValues } from "../values/service.js";
import { checkDocument, checkOrganisations, type PlanService } from "./service.js";
import { planRevised } from "./superseded.js";

/** The longest reason a revision may give (characters). */
export const REVISION_REASON_MAX = 500;

/** How many rows of each kind a revision carried into the new version, and how many values it left. */
export interface Carried {
  values: number;
  evidence: number;
  marks: number;
  claims: number;
  targetAdjustments: number;
  reopenings: number;
  /** Spot checks (抽查) with every item they drew and its finding, whatever became of the cell. */
  spotChecks: number;
  /** Approved values of indicators whose rule type changed: carried, but to be approved again. */
  reReview: number;
  /** Values stored under the old version whose unit, indicator or period the new one no longer has. */
  leftBehind: number;
}

export interface RevisionView {
  version: number;
  status: "draft" | "published" | "frozen";
  reason: string | null;
  author: string | null;
  createdAt: string;
  /** The change from the version before (null for version 1). */
  diff: PlanDiff | null;
}

const frozen = () => appError(409, "PLAN_FROZEN", "已冻结的方案不能修订", "a frozen plan cannot be revised");

const isUniqueViolation = (e: unknown) =>
  (e as { code?: string }).code === "23505" || (e as { cause?: { code?: string } }).cause?.code === "23505";

/** The (indicator, period) cells units report in a plan: the data-entry template's rows. */
function reportedCells(structure: PlanStructure): { indicator: string; period: string }[] {
  return templateRows(structure, "", []).map((r) => ({ indicator: r.indicator, period: r.period }));
}

/** Leaf codes with an expert (评审打分) rule: their marks are for the plan period. */
const expertLeaves = (structure: PlanStructure) =>
  structure.leaves
    .map((i) => structure.nodes[i]!)
    .filter((n) => n.rule?.type === "expert")
    .map((n) => n.code);

/**
 * Copies the rows of `table` that belong to version `from` and match `where` into version `to`: every
 * column except the id (a new one) and the version, so columns added later are carried as well.
 * `set` replaces a column's value with an expression over the old row `r`.
 */
async function copyRows(
  tx: Database,
  table: PgTable,
  from: string,
  to: string,
  where: SQL,
  set: Record<string, SQL> = {},
): Promise<number> {
  const names = Object.values(getTableColumns(table))
    .map((c) => c.name)
    .filter((n) => n !== "id" && n !== "plan_version_id");
  const columns = sql.join(
    names.map((n) => sql.identifier(n)),
    sql`, `,
  );
  const values = sql.join(
    names.map((n) => set[n] ?? sql`r.${sql.identifier(n)}`),
    sql`, `,
  );
  const result = await tx.execute(sql`
    INSERT INTO ${table} (plan_version_id, ${columns})
    SELECT ${to}, ${values} FROM ${table} r WHERE r.plan_version_id = ${from} AND (${where})
    RETURNING 1`);
  return resultRows(result).length;
}

/** The columns of a table but the ones named, as identifiers (so columns added later are copied too). */
const columnsBut = (table: PgTable, ...skip: string[]) =>
  Object.values(getTableColumns(table))
    .map((c) => c.name)
    .filter((n) => !skip.includes(n));

/**
 * Copies a version's rows of `parent` (those `where` keeps, `r` being the row), new ids for the
 * copies, with their rows of `child` copied too and re-pointed at the copies through `childKey`
 * (a spot check's items, a claim's evidence files).
 */
async function copyWithChildren(
  tx: Database,
  family: { parent: PgTable; child: PgTable; childKey: string },
  from: string,
  to: string,
  where: SQL = sql`true`,
): Promise<number> {
  const { parent, child, childKey } = family;
  const parents = columnsBut(parent, "id", "plan_version_id");
  const children = columnsBut(child, "id", childKey);
  const list = (names: string[], prefix: string) =>
    sql.join(
      names.map((n) => sql.raw(`${prefix}"${n}"`)),
      sql`, `,
    );
  const result = await tx.execute(sql`
    WITH source AS (
      SELECT r.*, gen_random_uuid() AS copy_id FROM ${parent} r WHERE r.plan_version_id = ${from} AND (${where})
    ), copied AS (
      INSERT INTO ${parent} (id, plan_version_id, ${list(parents, "")})
      SELECT copy_id, ${to}, ${list(parents, "source.")} FROM source RETURNING id
    ), children AS (
      INSERT INTO ${child} (${sql.identifier(childKey)}, ${list(children, "")})
      SELECT source.copy_id, ${list(children, "c.")} FROM ${child} c
      JOIN source ON source.id = c.${sql.identifier(childKey)}
      RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM copied) AS n, (SELECT count(*)::int FROM children) AS children`);
  return Number(resultRows<{ n: number }>(result)[0]!.n);
}

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
/** The row's (indicator, period) is one of `cells`. */
const inCells = (cells: { indicator: string; period: string }[]) =>
  sql`(r.indicator, r.period) IN (SELECT c.indicator, c.period FROM jsonb_to_recordset(${json(cells)}) AS c(indicator text, period text))`;
/** The rows of leaves that apply to the row's unit (适用单位): a leaf restricted to some units carries only theirs. */
const applicable = (structure: PlanStructure) => {
  const restricted = structure.leaves
    .map((i) => structure.nodes[i]!)
    .filter((n) => n.appliesTo)
    .map((n) => ({ indicator: n.code, units: [...n.appliesTo!] }));
  if (restricted.length === 0) return sql`TRUE`;
  return sql`NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(${json(restricted)}) AS a(indicator text, units jsonb) WHERE a.indicator = r.indicator AND NOT a.units ? r.unit_code)`;
};
const inList = (column: string, list: string[]) =>
  sql`r.${sql.identifier(column)}::text IN (SELECT jsonb_array_elements_text(${json(list)}))`;

/** Revising a plan in force (方案修订): a new version, checked, audited, carrying its year's data over. */
export function createRevisionService(deps: { db: Database; plans: PlanService }) {
  const { db, plans: planService } = deps;

  /** A version's row (without its document) and document, by number; 404 if the plan has none such. */
  async function version(planId: string, number: number) {
    const [v] = await db
      .select({ id: planVersions.id, document: planVersions.document })
      .from(planVersions)
      .where(and(eq(planVersions.planId, planId), eq(planVersions.version, number)));
    if (!v) throw notFound(`方案没有第 ${number} 版`, `the plan has no version ${number}`);
    return { id: v.id, plan: v.document as Plan };
  }

  return {
    /**
     * Revises the plan's current version into version N+1 with the given document and reason. The
     * version must be a draft or in force (published); a frozen plan, or one whose results are under
     * public notice, cannot be revised. Of two revisions at once, one wins and the other gets 409.
     */
    async revise({
      planId,
      input,
      actor,
    }: {
      planId: string;
      input: { document: unknown; reason: string; baseVersion?: number | undefined };
      actor: Actor;
    }) {
      const { plan, structure } = checkDocument(input.document);
      const current = await planService.current(planId);
      if (plan.id !== current.plan.id)
        throw appError(
          400,
          "PLAN_CODE_CHANGED",
          `修订不能改变方案编号（${current.plan.id}）`,
          `a revision cannot change the plan's code (${current.plan.id})`,
          "document.id",
        );
      await checkOrganisations(db, plan, structure);
      if (input.baseVersion !== undefined && input.baseVersion !== current.version) throw planRevised();
      if (current.status === "frozen") throw frozen();
      const diff = diffPlans(current.plan, plan);
      if (diff.same)
        throw appError(
          400,
          "NO_CHANGE",
          "修订后的方案与当前版本相同",
          "the revised plan is the same as the current version",
          "document",
        );
      const next = current.version + 1;
      const stored: Plan = { ...plan, version: next };

      // What carries over: units in both versions; the cells the new version asks units to report.
      const oldUnits = new Set(current.plan.units.map((u) => u.code));
      const keptUnits = plan.units.map((u) => u.code).filter((u) => oldUnits.has(u));
      const cells = reportedCells(structure);
      const retyped = diff.rules.filter((r) => r.typeBefore !== r.typeAfter).map((r) => r.code);
      const marked = expertLeaves(structure);
      const items = [...(plan.bonus ?? []), ...(plan.penalties ?? []), ...(plan.vetoes ?? [])].map(
        (i) => i.code,
      );

      try {
        return await db.transaction(async (tx) => {
          // The head row, locked: a second revision waits here, then finds the version it read is gone.
          // NO KEY UPDATE, not UPDATE: writers' foreign-key checks take KEY SHARE on this row while they
          // hold a unit's lock, which UPDATE would make a deadlock with the unit locks taken below.
          const [head] = await tx
            .select({
              id: planVersions.id,
              status: planVersions.status,
              deadline: planVersions.deadline,
              publishedAt: planVersions.publishedAt,
            })
            .from(planVersions)
            .where(eq(planVersions.planId, planId))
            .orderBy(sql`${planVersions.version} DESC`)
            .limit(1)
            .for("no key update");
          if (head!.id !== current.id) throw planRevised();
          if (head!.status === "frozen") throw frozen();
          const [notice] = await tx
            .select({ id: publications.id })
            .from(publications)
            .where(and(eq(publications.planVersionId, current.id), eq(publications.status, "notice")));
          if (notice)
            throw appError(
              409,
              "NOTICE_RUNNING",
              "计分结果正在公示，公示期间不能修订方案",
              "the results are under public notice: the plan cannot be revised meanwhile",
            );
          // Every unit's lock, in one order (as writers take them): writers in flight finish first, and
          // later ones are refused by `refuseSuperseded` once this commits.
          for (const unit of [...oldUnits].sort())
            await lockUnitValues(tx, current.id, unit, { inForce: false });

          const [created] = await tx
            .insert(planVersions)
            .values({
              planId,
              version: next,
              status: head!.status,
              document: stored,
              unitCodes: plan.units.map((u) => u.code),
              periodKey: plan.period.key,
              createdBy: actor.id,
              publishedAt: head!.publishedAt,
              deadline: head!.deadline,
              reason: input.reason,
            })
            .returning({ id: planVersions.id });
          const to = created!.id;
          await tx.update(plans).set({ name: plan.name }).where(eq(plans.id, planId));

          const units = inList("unit_code", keptUnits);
          const reReview = sql`r.status = 'approved' AND r.indicator IN (SELECT jsonb_array_elements_text(${json(retyped)}))`;
          const carried: Carried = {
            values: await copyRows(
              tx,
              reportedValues,
              current.id,
              to,
              sql`${units} AND ${inCells(cells)} AND ${applicable(structure)}`,
              {
                status: sql`CASE WHEN ${reReview} THEN 'submitted' ELSE r.status END`,
                revision: sql`CASE WHEN ${reReview} THEN r.revision + 1 ELSE r.revision END`,
              },
            ),
            evidence: await copyRows(
              tx,
              evidence,
              current.id,
              to,
              sql`${units} AND ${inCells(cells)} AND ${applicable(structure)}`,
            ),
            marks: await copyRows(
              tx,
              expertMarks,
              current.id,
              to,
              sql`${units} AND ${inList("indicator", marked)} AND r.period = ${plan.period.key}`,
            ),
            claims: await copyWithChildren(
              tx,
              { parent: claims, child: claimEvidence, childKey: "claim_id" },
              current.id,
              to,
              sql`${units} AND ${inList("item", items)}`,
            ),
            targetAdjustments: 0,
            reopenings: await copyRows(tx, reopenings, current.id, to, units),
            spotChecks: await copyWithChildren(
              tx,
              { parent: spotChecks, child: spotCheckItems, childKey: "spot_check_id" },
              current.id,
              to,
            ),
            reReview: 0,
            leftBehind: 0,
          };
          // A target adjustment carries over only if the revision left that unit's target as it was
          // (the adjustment's `original`): a revision that sets the target itself supersedes it.
          const adjustments = await tx
            .select({
              id: targetAdjustments.id,
              unit: targetAdjustments.unitCode,
              indicator: targetAdjustments.indicator,
              original: targetAdjustments.original,
            })
            .from(targetAdjustments)
            .where(eq(targetAdjustments.planVersionId, current.id));
          const keep = adjustments
            .filter((a) => {
              const leaf = structure.leaves.findIndex((i) => structure.nodes[i]!.code === a.indicator);
              const u = structure.unitIndex.get(a.unit);
              return leaf >= 0 && u !== undefined && structure.targets[leaf]![u] === a.original;
            })
            .map((a) => a.id);
          carried.targetAdjustments = await copyRows(
            tx,
            targetAdjustments,
            current.id,
            to,
            inList("id", keep),
          );
          const counts = resultRows<{ total: number; rereview: number }>(
            await tx.execute(sql`
              SELECT (SELECT count(*)::int FROM ${reportedValues} WHERE plan_version_id = ${current.id}) AS total,
                     (SELECT count(*)::int FROM ${reportedValues} r WHERE r.plan_version_id = ${current.id}
                        AND ${units} AND ${inCells(cells)} AND ${reReview}) AS rereview`),
          )[0]!;
          carried.leftBehind = Number(counts.total) - carried.values;
          carried.reReview = Number(counts.rereview);

          await appendAudit(tx, {
            ...auditedBy(actor),
            action: "plan.revise",
            entity: "plan",
            entityId: planId,
            before: { code: plan.id, version: current.version },
            after: { code: plan.id, version: next, reason: input.reason, carried },
          });
          return {
            planId,
            code: plan.id,
            name: plan.name,
            version: next,
            status: head!.status,
            units: plan.units.map((u) => u.code),
            reason: input.reason,
            carried,
            diff,
          };
        });
      } catch (e) {
        // The unique (plan, version) constraint: a concurrent revision made version N+1 first.
        if (isUniqueViolation(e)) throw planRevised();
        throw e;
      }
    },

    /** Every version, oldest first, with its reason, author, time and the diff from the one before. */
    async list(planId: string): Promise<RevisionView[]> {
      await planService.head(planId);
      const rows = await db
        .select({
          version: planVersions.version,
          status: planVersions.status,
          reason: planVersions.reason,
          author: users.username,
          createdAt: planVersions.createdAt,
          document: planVersions.document,
        })
        .from(planVersions)
        .leftJoin(users, eq(users.id, planVersions.createdBy))
        .where(eq(planVersions.planId, planId))
        .orderBy(asc(planVersions.version));
      return rows.map((r, k) => ({
        version: r.version,
        status: r.status,
        reason: r.reason,
        author: r.author,
        createdAt: r.createdAt.toISOString(),
        diff: k === 0 ? null : diffPlans(rows[k - 1]!.document as Plan, r.document as Plan),
      }));
    },

    /** The diff from version `a` to version `b` of a plan (either order). */
    async diff(planId: string, a: number, b: number): Promise<PlanDiff> {
      const [x, y] = [await version(planId, a), await version(planId, b)];
      return diffPlans(x.plan, y.plan);
    },

    /**
     * The values stored under version `number` that the version after it did not carry over (their
     * unit, indicator or period is no longer in the plan): kept, never deleted, listed here.
     */
    async leftBehind(planId: string, number: number) {
      const old = await version(planId, number);
      const next = await version(planId, number + 1);
      const rows = await db
        .select({
          unit: reportedValues.unitCode,
          indicator: reportedValues.indicator,
          period: reportedValues.period,
          value: reportedValues.value,
          note: reportedValues.note,
          status: reportedValues.status,
          revision: reportedValues.revision,
          updatedAt: reportedValues.updatedAt,
        })
        .from(reportedValues)
        .where(eq(reportedValues.planVersionId, old.id))
        .orderBy(asc(reportedValues.unitCode), asc(reportedValues.indicator), asc(reportedValues.period));
      const built = checkDocument(next.plan);
      const units = new Set(next.plan.units.map((u) => u.code));
      const cells = new Set(reportedCells(built.structure).map((c) => `${c.indicator}\u0000${c.period}`));
      return rows
        .filter((r) => {
          const node = built.structure.nodes[built.structure.byCode.get(r.indicator) ?? -1];
          const applies = node !== undefined && appliesTo(node, r.unit);
          return !units.has(r.unit) || !cells.has(`${r.indicator}\u0000${r.period}`) || !applies;
        })
        .map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
    },
  };
}

export type RevisionService = ReturnType<typeof createRevisionService>;
