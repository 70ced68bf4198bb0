import { z } from "zod";

/**
 * The evidence API's shapes the web app also reads (type-only imports): the routes validate and
 * document with them.
 */
export const evidenceItem = z.object({
  id: z.string(),
  indicator: z.string(),
  period: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  uploadedAt: z.string(),
});
export type EvidenceItem = z.infer<typeof evidenceItem>;
export type EvidenceList = { items: EvidenceItem[]; total: number; page: number; pageSize: number };

/** GET .../evidence/limits: the kinds of file accepted and the size limit, as the upload checks them. */
export const evidenceLimits = z.object({
  maxBytes: z.number().describe("The largest file accepted, in bytes"),
  types: z.array(
    z.object({
      kind: z.enum(["pdf", "png", "jpeg", "xlsx", "docx", "ofd"]),
      contentType: z.string().describe("The content type the file must be sent with"),
    }),
  ),
});
export type EvidenceLimits = z.infer<typeof evidenceLimits>;
