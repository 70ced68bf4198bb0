import { z } from "zod";
import type { BulletinMeta } from "./facts-table.js";

const bilingual = z.strictObject({ "zh-CN": z.string().max(200), en: z.string().max(200) });

/** The meta file of `kaohe bulletin --meta` (docs/bulletins.md): what the facts table does not hold. */
export const bulletinMetaSchema = z.strictObject({
  unit: bilingual,
  year: z.int().min(1949).max(2999),
  date: z.iso.date(),
  source: bilingual,
  rankScope: bilingual.optional(),
  groups: z.record(z.string(), bilingual),
  grades: z.record(z.string(), z.strictObject({ en: z.string().max(200), commendable: z.boolean() })),
  units: z.record(z.string(), bilingual).optional(),
  indicatorUnits: z.record(z.string(), bilingual).optional(),
}) satisfies z.ZodType<BulletinMeta>;
