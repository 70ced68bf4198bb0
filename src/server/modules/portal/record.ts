import { eq, sql } from "drizzle-orm";
import type { Plan } from "../../../engine/index.js";
import {
  type NoticeContent,
  noticeTitle,
  type PublicUnit,
  renderNoticeArticle,
} from "../../../portal/pages/article.js";
import { type PageHashes, pageHashes } from "../../../portal/pages/hashes.js";
import type { Database } from "../../db/client.js";
import { planVersions, portalPages, publications } from "../../db/schema/index.js";

export const LANGS = ["zh-CN", "en"] as const;

/**
 * What a publication's notice is made of — its article at publication and its PDF later read the same
 * stored fields (the plan version's document, the publication's public view and notice period, the
 * page's visibility), so both show one notice; with `finalisedAt`, the final results notice (通报).
 */
export const noticeContentOf = (props: {
  plan: Pick<Plan, "name" | "nameEn" | "grades">;
  noticeUntil: Date;
  visibleFrom: Date;
  finalisedAt?: Date | undefined;
  units: readonly PublicUnit[];
}): NoticeContent => ({
  plan: props.plan.name,
  planEn: props.plan.nameEn,
  publishedAt: props.visibleFrom,
  noticeUntil: props.noticeUntil,
  ...(props.finalisedAt ? { finalisedAt: props.finalisedAt } : {}),
  grades: props.plan.grades ?? [],
  units: props.units,
});

/** A page's articles in both languages, with their titles and hashes. */
function renderPage(content: NoticeContent) {
  const titles: Record<string, string> = {};
  const articles: Record<string, string> = {};
  const hashes: Record<string, PageHashes> = {};
  for (const lang of LANGS) {
    titles[lang] = noticeTitle(content, lang);
    articles[lang] = renderNoticeArticle(content, lang);
    hashes[lang] = pageHashes(articles[lang]);
  }
  return { titles, articles, hashes };
}

/**
 * Renders a publication's portal page (its article in both languages) and records it with its hashes,
 * in the publishing transaction: the hashes are fixed at publication, and the publish audit entry
 * carries them (publication/commands/publish.ts). `visibleFrom` is the embargo (default: at once).
 */
export async function recordPortalPage(
  tx: Database,
  props: {
    publicationId: string;
    plan: Plan;
    noticeUntil: Date;
    visibleFrom: Date;
    units: readonly PublicUnit[];
  },
): Promise<Record<string, PageHashes>> {
  const { titles, articles, hashes } = renderPage(noticeContentOf(props));
  await tx.insert(portalPages).values({
    publicationId: props.publicationId,
    titles,
    articles,
    hashes,
    visibleFrom: props.visibleFrom,
    hashIndex: Object.values(hashes).flatMap((h) => [h.sm3, h.sha256]),
  });
  return hashes;
}

/**
 * Renders the final results notice (通报) of a publication being finalised — the same units, plan and
 * notice period as its public notice, now said to be final — and records it beside the notice's page,
 * whose articles stay as published: a new document with its own hashes, which the finalise audit entry
 * carries (publication/commands/finalise.ts) and verify knows as the notice's hashes. Undefined for a
 * publication without a portal page (made before migration 0025).
 */
export async function recordFinalPage(
  tx: Database,
  props: { publicationId: string; finalisedAt: Date },
): Promise<Record<string, PageHashes> | undefined> {
  const [row] = await tx
    .select({
      visibleFrom: portalPages.visibleFrom,
      noticeUntil: publications.noticeUntil,
      publicView: publications.publicView,
      plan: planVersions.document,
    })
    .from(portalPages)
    .innerJoin(publications, eq(publications.id, portalPages.publicationId))
    .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
    .where(eq(portalPages.publicationId, props.publicationId));
  if (!row) return undefined;
  const { titles, articles, hashes } = renderPage(
    noticeContentOf({
      plan: row.plan as Plan,
      noticeUntil: row.noticeUntil,
      visibleFrom: row.visibleFrom,
      finalisedAt: props.finalisedAt,
      units: row.publicView as PublicUnit[],
    }),
  );
  const added = Object.values(hashes).flatMap((h) => [h.sm3, h.sha256]);
  await tx
    .update(portalPages)
    .set({
      finalTitles: titles,
      finalArticles: articles,
      finalHashes: hashes,
      hashIndex: sql`${portalPages.hashIndex} || ARRAY[${sql.join(
        added.map((h) => sql`${h}`),
        sql`, `,
      )}]::text[]`,
    })
    .where(eq(portalPages.publicationId, props.publicationId));
  return hashes;
}
