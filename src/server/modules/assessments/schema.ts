import { z } from "zod";
import { text, textLimits } from "../../schemas.js";

/**
 * Shapes of the marks API that the web app also reads (type-only imports): one definition for the
 * route's validation, its OpenAPI document and the client.
 */
export const markItem = z.object({
  unit: z.string(),
  indicator: z.string(),
  period: z.string(),
  reviewer: z.string(),
  mark: z.number(),
  note: z.string().nullable(),
  markedAt: z.string(),
});
export type MarkItem = z.infer<typeof markItem>;

export const markBody = z.object({
  indicator: z.string().min(1),
  period: z.string().min(1),
  mark: z.number().finite(),
  note: text(textLimits.note).optional(),
});
export type MarkBody = z.infer<typeof markBody>;

/** GET /plans/:planId/marks/summary (the office only): each unit's trimmed mean per expert-marked indicator. */
export const markSummary = z.object({
  items: z.array(
    z.object({
      unit: z.string(),
      indicator: z.string(),
      period: z.string(),
      reviewers: z.number().describe("How many reviewers marked"),
      kept: z.number().describe("Marks left after the highest and lowest are dropped"),
      mean: z.number().nullable().describe("The trimmed mean (null: no marks yet)"),
      markMax: z.number(),
    }),
  ),
});
export type MarkSummary = z.infer<typeof markSummary>;
