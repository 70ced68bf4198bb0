import { z } from "zod";
import { text, textLimits } from "../../schemas.js";

/**
 * Shapes of the spot-check API that the web app also reads (type-only imports): one definition for the
 * route's validation, its OpenAPI document and the client.
 */
export const spotCheckItem = z.object({
  id: z.string(),
  unit: z.string(),
  indicator: z.string(),
  period: z.string(),
  value: z.number(),
  outcome: z.enum(["confirmed", "discrepancy"]).nullable(),
  note: z.string().nullable(),
});
export const check = z.object({
  id: z.string(),
  seed: z.number(),
  size: z.number(),
  drawnAt: z.string(),
  items: z.array(spotCheckItem),
});
export type SpotCheck = z.infer<typeof check>;

/** POST /plans/:planId/spot-checks: how many values to draw, and a seed to redraw a recorded draw. */
export const drawBody = z.object({
  size: z.number().int().min(1).max(1000),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});
export type DrawBody = z.infer<typeof drawBody>;

/** POST /plans/:planId/spot-checks/:id/items/:itemId: what checking one value found. */
export const findingBody = z.object({
  outcome: z.enum(["confirmed", "discrepancy"]),
  note: text(textLimits.note).optional(),
});
export type FindingBody = z.infer<typeof findingBody>;
