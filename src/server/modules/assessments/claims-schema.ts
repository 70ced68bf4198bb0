import { z } from "zod";
import { text, textLimits } from "../../schemas.js";
import { claimFile } from "../claims/schema.js";

/**
 * Shapes of the bonus, penalty and veto items' API (加分/扣分/一票否决) that the web app also reads
 * (type-only imports): one definition for the routes' validation, their OpenAPI document and the client.
 */
export const claimStatus = z.enum(["pending", "approved", "rejected"]);

export const claimView = z.object({
  id: z.string(),
  unit: z.string(),
  item: z.string(),
  level: z.string().nullable(),
  ref: z.string().nullable(),
  value: z.number(),
  note: z.string().nullable(),
  status: claimStatus,
  decisionReason: z.string().nullable(),
  evidence: z.array(claimFile).describe("证明材料: the files attached to the claim"),
});
export type ClaimView = z.infer<typeof claimView>;
export type ClaimPage = { items: ClaimView[]; total: number; page: number; pageSize: number };

export const claimBody = z.object({
  item: z.string().min(1),
  level: z.string().optional(),
  ref: text(textLimits.ref).optional(),
  value: z.number().optional(),
  note: text(textLimits.note).optional(),
});
export type ClaimBody = z.infer<typeof claimBody>;

export const claimDecisionBody = z.object({
  decision: z.enum(["approved", "rejected"]),
  reason: text(textLimits.reason).min(2),
});
export type ClaimDecisionBody = z.infer<typeof claimDecisionBody>;
