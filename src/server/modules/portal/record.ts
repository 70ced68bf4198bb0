import type { Plan } from "../../../engine/index.js";
import {
  type NoticeContent,
  noticeTitle,
  type PublicUnit,
  renderNoticeArticle,
} from "../../../portal/pages/article.js";
import { type PageHashes, pageHashes } from "../../../portal/pages/hashes.js";
import type { Database } from "../../db/client.js";
import { portalPages } from "../../db/schema/index.js";

export const LANGS = ["zh-CN", "en"] as const;

/**
 * What a publication's notice is made of — its article at publication and its PDF later read the same
 * stored fields (the plan version's document, the publication's public view and notice period, the
 * page's visibility), so both show one notice.
 */
export const noticeContentOf = (props: {
  plan: Pick<Plan, "name" | "nameEn" | "grades">;
  noticeUntil: Date;
  visibleFrom: Date;
  units: readonly PublicUnit[];
}): NoticeContent => ({
  plan: props.plan.name,
  planEn: props.plan.nameEn,
  publishedAt: props.visibleFrom,
  noticeUntil: props.noticeUntil,
  grades: props.plan.grades ?? [],
  units: props.units,
});

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
  const content = noticeContentOf(props);
  const titles: Record<string, string> = {};
  const articles: Record<string, string> = {};
  const hashes: Record<string, PageHashes> = {};
  for (const lang of LANGS) {
    titles[lang] = noticeTitle(content, lang);
    articles[lang] = renderNoticeArticle(content, lang);
    hashes[lang] = pageHashes(articles[lang]);
  }
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
