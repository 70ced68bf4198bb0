import type { PublicSummary } from "../../../../server/modules/publication/schema.js";
import { formatTime } from "../../../components/time";
import type { MessageKey } from "../../../locales/zh-CN";
import { ordinal } from "../../../services/publications";

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A publication's state in words: under notice until…, final, or superseded (by which). */
export function publicationStatus(
  t: T,
  lang: string,
  p: Pick<PublicSummary, "status" | "noticeUntil" | "supersededBy">,
  all: Pick<PublicSummary, "id">[] = [],
) {
  if (p.status === "notice") return t("results.status.notice", { time: formatTime(lang, p.noticeUntil) });
  if (p.status === "final") return t("results.status.final");
  return p.supersededBy && all.some((x) => x.id === p.supersededBy)
    ? t("results.status.withdrawn", { n: ordinal(all, p.supersededBy) })
    : t("results.status.withdrawnPlain");
}
