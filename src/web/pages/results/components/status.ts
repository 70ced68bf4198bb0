import type { PublicSummary } from "../../../../server/modules/publication/schema.js";
import { formatTime } from "../../../components/time";
import type { MessageKey } from "../../../locales/zh-CN";

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * Which publication of the plan this is (1 = the first), from the list newest first. A publication's
 * `version` is the plan version it published, not its place in the plan's series.
 */
export const ordinal = (all: readonly Pick<PublicSummary, "id">[], id: string) =>
  all.length - all.findIndex((p) => p.id === id);

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
