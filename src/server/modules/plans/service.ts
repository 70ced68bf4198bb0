import { and, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import {
  buildPlanStructure,
  checkIndicatorDepth,
  type Plan,
  type PlanStructure,
  planSchema,
} from "../../../engine/index.js";
import { type Database, resultRows } from "../../db/client.js";
import { objections, organisations, plans, planVersions, publications } from "../../db/schema/index.js";
import { AppError, appError, notFound } from "../../errors.js";
import { appendAudit } from "../audit/service.js";
import { refuseSuperseded } from "./superseded.js";

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
    const path = issue.path
      .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
      .join("")
      .replace(/^\./, "");
    throw appError(
      400,
      "INVALID_PLAN",
      `方案格式错误：${path}：${issue.message}`,
      `invalid plan: ${path}: ${issue.message}`,
      `document.${path}`,
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

  /** The two steps of a version's life after its draft: what each needs, how it is audited, why it is refused. */
  const steps = {
    published: {
      from: "draft",
      action: "plan.publish",
      refusal: ["NOT_DRAFT", "只有草稿可以发布", "only a draft can be published"],
    },
    frozen: {
      from: "published",
      action: "plan.freeze",
      refusal: ["NOT_PUBLISHED", "只有已发布的方案可以冻结", "only a published plan can be frozen"],
    },
  } as const;

  /**
   * A frozen plan takes no writes, so no correction either: freezing is refused (409
   * `CORRECTION_PENDING`) while the plan's current publication (of any version) is under notice, when
   * objections may still come and be accepted, or has an accepted objection, whose correction is a new
   * publication superseding it. Read after the freeze's update, which waited for writers sharing the
   * version's row (an objection's acceptance unlocks cells under that share).
   */
  async function refuseOpenCorrections(tx: Database, planId: string): Promise<void> {
    const [pending] = resultRows<{ status: string; accepted: number }>(
      await tx.execute(sql`
        SELECT p.status,
          (SELECT count(*) FROM ${objections} o WHERE o.publication_id = p.id AND o.status = 'accepted')::int AS accepted
        FROM ${publications} p JOIN ${planVersions} v ON v.id = p.plan_version_id
        WHERE v.plan_id = ${planId} AND p.status IN ('notice', 'final')
          AND NOT EXISTS (SELECT 1 FROM ${publications} s WHERE s.supersedes = p.id)
        ORDER BY p.published_at DESC LIMIT 1`),
    );
    if (!pending) return;
    if (pending.status === "notice")
      throw appError(
        409,
        "CORRECTION_PENDING",
        "计分结果正在公示，公示结束并定稿前不能冻结方案（受理异议后还需更正）",
        "the results are under public notice: the plan cannot be frozen until they are final (an accepted objection still needs its correction)",
      );
    if (pending.accepted > 0)
      throw appError(
        409,
        "CORRECTION_PENDING",
        `当前公示有 ${pending.accepted} 条已受理的异议尚未更正（更正后重新计分并发布），不能冻结方案`,
        `${pending.accepted} accepted objection(s) to the current publication are not corrected yet (score and publish the correction): the plan cannot be frozen`,
      );
  }

  /** Moves the latest version one step (draft → published → frozen), audited; 409 from any other state. */
  async function transition(
    planId: string,
    to: keyof typeof steps,
    actor: { username: string },
    ip: string,
  ): Promise<void> {
    const { from, action, refusal } = steps[to];
    const v = await head(planId);
    if (v.status !== from) throw appError(409, refusal[0], refusal[1], refusal[2]);
    await db.transaction(async (tx) => {
      // Conditional on the state just read, so that of two concurrent calls only one moves it.
      const moved = await tx
        .update(planVersions)
        .set(to === "published" ? { status: to, publishedAt: new Date() } : { status: to })
        .where(and(eq(planVersions.id, v.id), eq(planVersions.status, from)))
        .returning({ id: planVersions.id });
      if (moved.length === 0) throw appError(409, refusal[0], refusal[1], refusal[2]);
      // The update waited for a revision in progress, if any: the step then belongs to the new version.
      await refuseSuperseded(tx, v.id);
      if (to === "frozen") await refuseOpenCorrections(tx, planId);
      await appendAudit(tx, {
        actor: actor.username,
        ip,
        action,
        entity: "plan",
        entityId: planId,
        before: { status: from },
        after: { status: to, version: v.version },
      });
    });
  }

  return {
    /** A new plan from a document: version 1, draft. Every plan unit must be a known organisation. */
    async create(
      document: unknown,
      actor: { id: string; username: string },
      ip: string,
    ): Promise<PlanVersionView> {
      const { plan, structure } = checkDocument(document);
      await checkOrganisations(db, plan, structure);
      const codes = plan.units.map((u) => u.code);
      const [existing] = await db.select({ id: plans.id }).from(plans).where(eq(plans.code, plan.id));
      if (existing)
        throw appError(
          409,
          "DUPLICATE_PLAN",
          `方案 ${plan.id} 已存在`,
          `plan ${plan.id} already exists`,
          "document.id",
        );
      return db.transaction(async (tx) => {
        const [p] = await tx.insert(plans).values({ code: plan.id, name: plan.name }).returning();
        await tx.insert(planVersions).values({
          planId: p!.id,
          version: 1,
          document: plan,
          unitCodes: codes,
          periodKey: plan.period.key,
          createdBy: actor.id,
        });
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: "plan.create",
          entity: "plan",
          entityId: p!.id,
          after: { code: plan.id, version: 1 },
        });
        return {
          planId: p!.id,
          code: plan.id,
          name: plan.name,
          version: 1,
          status: "draft" as const,
          units: codes,
        };
      });
    },

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

    /** Publishes the draft: units see it and reporting opens. */
    publish(planId: string, actor: { username: string }, ip: string): Promise<void> {
      return transition(planId, "published", actor, ip);
    },

    /** Freezes the published version: reporting ends, the inputs of scoring are fixed. */
    freeze(planId: string, actor: { username: string }, ip: string): Promise<void> {
      return transition(planId, "frozen", actor, ip);
    },
  };
}

export type PlanService = ReturnType<typeof createPlanService>;
