import { z } from "zod";
import { text, textLimits } from "../../schemas.js";

/**
 * The data-entry API's shapes (GET/PUT /plans/:planId/units/:unit/values): the routes validate and
 * document with them, and the web app takes its types from them (type-only imports).
 */
export const valueStatus = z.enum(["draft", "submitted", "approved", "returned"]);

export const reportedValue = z.object({
  indicator: z.string(),
  period: z.string(),
  value: z.number(),
  note: z.string().nullable(),
  source: z.string().nullable(),
  status: valueStatus,
  returnReason: z.string().nullable(),
  response: z.string().nullable(),
  revision: z.number(),
  updatedAt: z.string(),
});
export type ReportedValueView = z.infer<typeof reportedValue>;
export type ValuesReply = { items: ReportedValueView[] };

/** What a 409 CONFLICT of a stale save carries (`current`): the value as it now stands, or null if withdrawn. */
export type ConflictCurrent = {
  value: number;
  note: string | null;
  revision: number;
  updatedAt: string;
} | null;

/** PUT /plans/:planId/units/:unit/values: one value saved as a draft, against the revision read. */
export const saveValueBody = z.object({
  indicator: z.string().min(1),
  period: z.string().min(1),
  value: z.number().finite(),
  note: text(textLimits.note).optional(),
  source: text(textLimits.source).optional(),
  response: text(textLimits.reason)
    .optional()
    .describe("An answer to the return reason, needed to resubmit a returned value unchanged"),
  revision: z.number().int().min(0).optional(),
});
export type SaveValueBody = z.infer<typeof saveValueBody>;

/**
 * One error of a refused upload (400 UPLOAD_INVALID, 409 CONFLICT/LOCKED: `errors`): the cell by sheet,
 * row and column, and for a value template the indicator and period of its row, so a page can show it
 * at the field.
 */
export type UploadCellError = {
  sheet: string;
  row: number;
  column: string;
  message: string;
  indicator?: string;
  period?: string;
};
