import { z } from "zod";
import { instant } from "../../schemas.js";

/** The audit API's shapes: the routes validate with them, the web app takes its types from them. */
export const filters = z.object({
  actor: z.string().optional(),
  action: z.string().optional(),
  entity: z.string().optional(),
  entityId: z.string().optional(),
  from: instant().optional(),
  to: instant().optional(),
});

export const entry = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  ip: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
});

export const auditPage = z.object({
  items: z.array(entry),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const verifyReply = z.object({
  ok: z.boolean(),
  entries: z.number(),
  head: z.string().optional(),
  sm3Entries: z.number().optional().describe("entries whose SM3 chain was checked too"),
  sealedEntries: z
    .number()
    .optional()
    .describe("entries whose keyed MAC (HMAC-SHA-256, HMAC-SM3) verified with this process's key"),
  unsealedBefore: z.number().optional().describe("entries written before the keyed chain began"),
  runs: z.number().optional().describe("scoring runs whose content hash matched"),
  publications: z.number().optional().describe("published views whose content hash matched"),
  unprotected: z.number().optional().describe("runs and publications from before content hashes"),
  brokenAt: z.number().optional().describe("the first entry at fault"),
  reason: z.string().optional(),
  algorithm: z.enum(["SHA-256", "SM3", "HMAC-SHA-256", "HMAC-SM3"]).optional(),
  entity: z.string().optional(),
  entityId: z.string().optional(),
  checkpoint: z.object({ seq: z.number() }).optional().describe("the checkpoint found unchanged"),
});

export type AuditFilters = z.infer<typeof filters>;
export type AuditEntry = z.infer<typeof entry>;
export type AuditPage = z.infer<typeof auditPage>;
export type VerifyReply = z.infer<typeof verifyReply>;
