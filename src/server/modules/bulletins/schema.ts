import { z } from "zod";
import { instant, MAX_TEXT, text, textLimits } from "../../schemas.js";

/**
 * Shapes of the bulletins API that the web app also reads (type-only imports): one definition for the
 * routes' validation, their OpenAPI document and the client.
 */
const byLang = (max: number) => z.object({ "zh-CN": text(max).optional(), en: text(max).optional() });

const fact = z.object({
  id: z.string(),
  field: z.enum(["grade", "value", "change", "rank", "firstTime"]),
  value: z.union([z.number(), z.string(), z.boolean()]),
  year: z.number().optional(),
});
const sentence = z.object({ "zh-CN": z.string(), en: z.string(), facts: z.array(fact) });
const bilingual = z.object({ "zh-CN": z.string(), en: z.string() });

/** The drafted bulletin as the core wrote it: every sentence with the facts it states. */
export const draftShape = z.object({
  title: sentence,
  date: z.string(),
  source: bilingual,
  lead: z.array(sentence),
  highlights: z.array(sentence),
  sections: z.array(z.object({ number: z.number(), title: bilingual, sentences: z.array(sentence) })),
  /** What each fact's id names (absent from drafts stored before it was kept). */
  sources: z.record(z.string(), bilingual).optional(),
});

const status = z.enum(["draft", "published", "withdrawn"]);

/** A bulletin in the office's list. */
export const bulletinSummary = z.object({
  id: z.string(),
  planId: z.string(),
  runId: z.string(),
  unit: z.string(),
  status,
  titles: z.record(z.string(), z.string()),
  revision: z.number(),
  updatedAt: z.string(),
  visibleFrom: z.string().nullable(),
  publishedAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  /** The portal page (path), once published. */
  url: z.string().nullable(),
});

/** One bulletin with its bodies, the draft's facts and, once published, its hashes. */
export const bulletinDetail = bulletinSummary.extend({
  bodies: z.record(z.string(), z.string()),
  draft: draftShape,
  hashes: z.record(z.string(), z.object({ sm3: z.string(), sha256: z.string() })).nullable(),
  withdrawReason: z.string().nullable(),
});

export const draftBody = z.object({
  unit: z.string().min(1).max(100).describe("the unit's code"),
  runId: z
    .uuid()
    .optional()
    .describe("default: the run of the plan's publication in force, else its latest run"),
});

export const editBody = z.object({
  revision: z.number().int().positive().describe("the revision the edit started from"),
  titles: byLang(textLimits.name).optional(),
  bodies: byLang(MAX_TEXT)
    .optional()
    .describe("HTML, kept to the allow-list server-side (docs/bulletins.md)"),
});

export const publishBulletinBody = z
  .object({ visibleFrom: instant().optional().describe("an embargo: not public before then") })
  .nullish();

export const withdrawBody = z.object({ reason: text(textLimits.reason).min(1) });

export type BulletinSummary = z.infer<typeof bulletinSummary>;
export type BulletinDetail = z.infer<typeof bulletinDetail>;
export type DraftBody = z.infer<typeof draftBody>;
export type EditBody = z.infer<typeof editBody>;
