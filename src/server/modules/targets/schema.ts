import { z } from "zod";
import { text, textLimits } from "../../schemas.js";

/**
 * Shapes of the targets API that the web app also reads (type-only imports): one definition for the
 * routes' validation, their OpenAPI document and the client.
 */
export const adjustmentStatus = z.enum(["pending", "approved", "rejected"]);

/** One target adjustment (目标调整) as the API shows it. */
export const targetAdjustment = z.object({
  id: z.string(),
  unit: z.string(),
  indicator: z.string(),
  original: z.number(),
  requested: z.number(),
  reason: z.string(),
  status: adjustmentStatus,
  decisionReason: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type TargetAdjustmentView = z.infer<typeof targetAdjustment>;
export type TargetAdjustmentPage = {
  items: TargetAdjustmentView[];
  total: number;
  page: number;
  pageSize: number;
};

export const targetRequestBody = z.object({
  indicator: z.string().min(1),
  target: z.number().finite(),
  reason: text(textLimits.reason).min(5),
});
export type TargetRequestBody = z.infer<typeof targetRequestBody>;

export const targetDecisionBody = z.object({
  decision: z.enum(["approved", "rejected"]),
  reason: text(textLimits.reason).min(2),
});
export type TargetDecisionBody = z.infer<typeof targetDecisionBody>;

/** One cell of the matrix: a unit's target for an indicator, as set and as it now stands. */
export const targetCell = z.object({
  indicator: z.string(),
  baseline: z.number().nullable().describe("基期值: the plan's baseline for the unit, if any"),
  original: z.number().describe("下达目标: the target in the plan document"),
  current: z.number().describe("现行目标: after the latest approved adjustment"),
  pending: z
    .object({ id: z.string(), requested: z.number() })
    .nullable()
    .describe("The adjustment waiting for the office's decision, if any"),
});

/** GET /plans/:planId/targets: units × indicators, every unit for the office, a unit its own row. */
export const targetMatrix = z.object({
  indicators: z.array(
    z.object({ code: z.string(), name: z.string(), measure: z.string().describe("计量单位") }),
  ),
  items: z.array(z.object({ unit: z.string(), name: z.string(), cells: z.array(targetCell) })),
});
export type TargetMatrix = z.infer<typeof targetMatrix>;

/** POST /plans/:planId/units/:unit/targets/upload: how many requests the file recorded. */
export const targetUploadReply = z.object({ requested: z.number() });
export type TargetUploadReply = z.infer<typeof targetUploadReply>;
