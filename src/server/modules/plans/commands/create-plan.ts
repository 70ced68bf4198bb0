import { eq } from "drizzle-orm";
import { auditedBy, type CommandContext } from "../../../actor.js";
import { plans, planVersions } from "../../../db/schema/index.js";
import { appError } from "../../../errors.js";
import { appendAudit } from "../../audit/service.js";
import { checkDocument, checkOrganisations, type PlanVersionView } from "../service.js";

type Props = CommandContext & {
  /** A kaohe-plan/1 document, not yet checked. */
  document: unknown;
};

/** A new plan from a document: version 1, draft. Every plan unit must be a known organisation. */
export async function createPlan({ db, actor, document }: Props): Promise<PlanVersionView> {
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
      ...auditedBy(actor),
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
}
