import { desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { bulletins } from "../../db/schema/index.js";
import { appError, notFound } from "../../errors.js";

/*
 * Bulletins (喜报/通报, docs/bulletins.md): the reads and what the writes share; each write is one file in
 * commands/ (draft, edit, publish, withdraw), the portal's reads in portal.ts.
 */

export const LANGS = ["zh-CN", "en"] as const;
export type Bulletin = typeof bulletins.$inferSelect;

export const bulletinNotFound = () => notFound("喜报/通报不存在", "bulletin not found");

/** Why a write that needs a draft found none: not there, or no longer a draft. */
export async function refuseNotDraft(
  db: Database,
  id: string,
  verb: { zh: string; en: string },
): Promise<never> {
  const [row] = await db.select({ status: bulletins.status }).from(bulletins).where(eq(bulletins.id, id));
  if (!row) throw bulletinNotFound();
  if (row.status === "published")
    throw appError(
      409,
      "ALREADY_PUBLISHED",
      `该喜报/通报已发布，不能${verb.zh}`,
      `the bulletin is already published and cannot be ${verb.en}`,
    );
  throw appError(
    409,
    "BULLETIN_WITHDRAWN",
    `该喜报/通报已撤回，不能${verb.zh}`,
    `the bulletin was withdrawn and cannot be ${verb.en}`,
  );
}

/** The office's reads: bulletins of a plan (or all), newest first; one with everything. */
export function createBulletinService(deps: { db: Database }) {
  const { db } = deps;
  return {
    async list(planId?: string) {
      return db
        .select()
        .from(bulletins)
        .where(planId ? eq(bulletins.planId, planId) : undefined)
        .orderBy(desc(bulletins.createdAt), desc(bulletins.id))
        .limit(500);
    },
    async get(id: string) {
      const [row] = await db.select().from(bulletins).where(eq(bulletins.id, id));
      if (!row) throw bulletinNotFound();
      return row;
    },
  };
}
export type BulletinService = ReturnType<typeof createBulletinService>;
