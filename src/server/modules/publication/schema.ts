import { z } from "zod";
import { instant, text, textLimits } from "../../schemas.js";

/**
 * Shapes of the publication API that the web app also reads (type-only imports): one definition for
 * the routes' validation, their OpenAPI document and the client.
 */
/** A publication as the public list shows it: when, its notice, and what it supersedes or was superseded by. */
export const publicSummary = z.object({
  id: z.string(),
  version: z.number(),
  period: z.string(),
  status: z.enum(["notice", "final", "withdrawn"]),
  publishedAt: z.string(),
  noticeUntil: z.string(),
  finalisedAt: z.string().nullable(),
  supersedes: z.string().nullable(),
  supersededBy: z.string().nullable(),
});

/** The office's view adds the run and the objections' counts. */
export const officeSummary = publicSummary.extend({
  runId: z.string(),
  objections: z.number(),
  openObjections: z.number(),
  /** When the notice is public on the portal: later than publishedAt under an embargo. */
  visibleFrom: z.string().nullable(),
});

export const publicResults = z.object({
  plan: z.string(),
  period: z.string(),
  status: z.enum(["notice", "final", "withdrawn"]),
  noticeUntil: z.string(),
  publicationId: z.string(),
  supersedes: z.string().nullable(),
  supersededBy: z.string().nullable(),
  auditCheckpoint: z
    .object({ seq: z.number(), mac: z.string() })
    .nullable()
    .describe("the audit chain's head when these results were published (kaohe audit verify --checkpoint)"),
  units: z.array(z.record(z.string(), z.unknown())),
});

export const evidenceFile = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  uploadedAt: z.string(),
});

export const cell = z.object({ indicator: z.string().min(1).max(100), period: z.string().min(1).max(50) });

export const objection = z.object({
  id: z.string(),
  unit: z.string(),
  reason: z.string(),
  cells: z.array(cell),
  status: z.enum(["open", "accepted", "rejected"]),
  resolution: z.string().nullable(),
  filedAt: z.string(),
  evidence: z.array(evidenceFile),
});

/** The public view of one publication (GET /public/plans/:planId/results and …/publications/:id). */
export type PublicResults = z.infer<typeof publicResults>;
export type PublicSummary = z.infer<typeof publicSummary>;
export type OfficeSummary = z.infer<typeof officeSummary>;
export type ObjectionView = z.infer<typeof objection>;
export type EvidenceFileView = z.infer<typeof evidenceFile>;
/** A page of a list (the routes build it with pagination's page()). */
export type Paged<T> = { items: T[]; total: number; page: number; pageSize: number };

/** POST /plans/:planId/runs/:runId/publish: no body publishes at once. */
export const publishBody = z
  .object({
    visibleFrom: instant()
      .optional()
      .describe("an embargo: the notice is public from this moment on, invisible everywhere public before"),
  })
  .nullish();
/** POST /plans/:planId/runs/:runId/publish */
export const publishReply = z.object({ id: z.string(), noticeUntil: z.string() });

/** GET /plans/:planId/publications/:publicationId/units/:unit/results: the engine's UnitResult. */
export const unitResultReply = z.object({
  publicationId: z.string(),
  status: z.enum(["notice", "final", "withdrawn"]),
  supersededBy: z.string().nullable(),
  result: z.record(z.string(), z.unknown()),
});
export type UnitResultReply = z.infer<typeof unitResultReply>;

export const objectionBody = z.object({
  unit: z.string().min(1),
  reason: text(textLimits.objection).min(5),
  cells: z
    .array(cell)
    .max(200)
    .optional()
    .describe("the unit's cells (indicator, period) the objection concerns: accepting it unlocks them"),
});
export type ObjectionBody = z.infer<typeof objectionBody>;

export const resolveBody = z.object({
  decision: z.enum(["accepted", "rejected"]),
  resolution: text(textLimits.objection).min(2),
  correctUntil: instant()
    .optional()
    .describe("accepting: reporting reopens for the unit until then (default: 7 days)"),
});
export type ResolveBody = z.infer<typeof resolveBody>;
export const resolveReply = objection.extend({ unlocked: z.array(cell) });
export type ResolveReply = z.infer<typeof resolveReply>;
