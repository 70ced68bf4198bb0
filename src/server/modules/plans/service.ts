import { desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import {
  buildPlanStructure,
  checkIndicatorDepth,
  describeIssue,
  formatPath,
  type Plan,
  type PlanStructure,
  planSchema,
} from "../../../engine/index.js";
import { type Database, resultRows } from "../../db/client.js";
import { organisations, planVersions } from "../../db/schema/index.js";
import { AppError, appError, notFound } from "../../errors.js";

export interface PlanVersionView {
  planId: string;
  code: string;
  name: string;
  version: number;
  status: "draft" | "published" | "frozen";
  units: string[];
}

/** Checks a plan document with the engine (schema, then semantics); errors name the JSON path or node. */
export function checkDocument(document: unknown): { plan: Plan; structure: PlanStructure } {
  const tooDeep = checkIndicatorDepth(document);
  if (tooDeep) throw new AppError(400, tooDeep.code, tooDeep.message, "document.indicators");
  const parsed = planSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = formatPath(issue.path);
    const message = describeIssue(issue, document);
    throw appError(
      400,
      "INVALID_PLAN",
      `方案格式错误：${message["zh-CN"]}`,
      `invalid plan: ${message.en}`,
      path ? `document.${path}` : "document",
    );
  }
  const structure = buildPlanStructure(parsed.data);
  if (!structure.ok) {
    throw new AppError(
      400,
      structure.error.code,
      structure.error.message,
      structure.error.indicator ? `document.indicators:${structure.error.indicator}` : "document",
    );
  }
  return { plan: parsed.data, structure: structure.value };
}

/** Refuses (400) a plan naming a unit or a lead department (牵头部门) that is not a registered organisation. */
export async function checkOrganisations(db: Database, plan: Plan, structure: PlanStructure): Promise<void> {
  const codes = plan.units.map((u) => u.code);
  const leads = structure.nodes.filter((n) => n.spec.lead !== undefined);
  const known = new Set(
    (
      await db
        .select({ code: organisations.code })
        .from(organisations)
        .where(inArray(organisations.code, [...codes, ...leads.map((n) => n.lead!)]))
    ).map((o) => o.code),
  );
  const missing = codes.find((c) => !known.has(c));
  if (missing)
    throw appError(
      400,
      "UNKNOWN_UNIT",
      `方案中的单位 ${missing} 不是已登记的单位`,
      `plan unit ${missing} is not a registered organisation`,
      "document.units",
    );
  const unknownLead = leads.find((n) => !known.has(n.lead!));
  if (unknownLead)
    throw appError(
      400,
      "UNKNOWN_LEAD",
      `指标 ${unknownLead.code} 的牵头部门 ${unknownLead.lead} 不是已登记的单位`,
      `the lead department ${unknownLead.lead} of indicator ${unknownLead.code} is not a registered organisation`,
      `document.indicators:${unknownLead.code}`,
    );
}

/**
 * The reads of plans every module shares (the current version, its document and structure, parsed
 * once); each write is a command in commands/ (create-plan, publish-plan, freeze-plan), revisions in
 * revisions.ts.
 */
export function createPlanService(deps: { db: Database }) {
  const { db } = deps;

  // Prepared once (every plan-scoped request reads the current version): planned once per connection.
  const { document: _, ...versionColumns } = getTableColumns(planVersions);
  const currentOf = db
    .select(versionColumns)
    .from(planVersions)
    .where(eq(planVersions.planId, sql.placeholder("planId")))
    .orderBy(desc(planVersions.version))
    .limit(1)
    .prepare("plan_current");
  const documentOf = db
    .select({ document: planVersions.document })
    .from(planVersions)
    .where(eq(planVersions.id, sql.placeholder("id")))
    .prepare("plan_document");
  /**
   * Parsed documents and their structures by version id. Safe in any number of processes: a version's
   * document is written once and never changed (a new plan content is a new version). Callers must not
   * change what they get (the engine does not).
   */
  const contents = new LRUCache<string, { plan: Plan; structure: PlanStructure }>({ max: 32 });

  /** The current version's row without its document (its id, status, deadline…). */
  async function head(planId: string) {
    const [v] = await currentOf.execute({ planId });
    if (!v) throw notFound("方案不存在", "plan not found");
    return v;
  }

  return {
    /** Every plan with its latest version, in one query (the unit codes only, not the document). */
    async list(): Promise<PlanVersionView[]> {
      const result = await db.execute(sql`
        SELECT * FROM (
          SELECT DISTINCT ON (p.id) p.id, p.code, p.name, v.version, v.status,
                 v.unit_codes AS units
          FROM plans p JOIN plan_versions v ON v.plan_id = p.id
          ORDER BY p.id, v.version DESC
        ) latest ORDER BY code`);
      const rows = resultRows<{
        id: string;
        code: string;
        name: string;
        version: number;
        status: PlanVersionView["status"];
        units: string[];
      }>(result);
      return rows.map((r) => ({
        planId: r.id,
        code: r.code,
        name: r.name,
        version: Number(r.version),
        status: r.status,
        units: r.units,
      }));
    },

    head,

    /**
     * The current version with its document and the indexed structure every check needs. The version's
     * row is read every time (its status and deadline change); its document is parsed and indexed once
     * per process, as a version's document never changes.
     */
    async current(planId: string) {
      const v = await head(planId);
      let content = contents.get(v.id);
      if (!content) {
        const [row] = await documentOf.execute({ id: v.id });
        const plan = row!.document as Plan;
        // Stored documents were checked on creation, so building cannot fail.
        const built = buildPlanStructure(plan);
        if (!built.ok) throw new AppError(500, built.error.code, built.error.message);
        content = { plan, structure: built.value };
        contents.set(v.id, content);
      }
      return { ...v, ...content };
    },
  };
}

export type PlanService = ReturnType<typeof createPlanService>;
