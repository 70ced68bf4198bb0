import type { PublicSummary } from "../../../../server/modules/publication/schema.js";
import { formatTime } from "../../../components/time";
import type { MessageKey } from "../../../locales/zh-CN";

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A publication's state in words: under notice until…, final, or superseded (by which). */
export function publicationStatus(
  t: T,
  lang: string,
  p: Pick<PublicSummary, "status" | "noticeUntil" | "supersededBy">,
  all: Pick<PublicSummary, "id" | "version">[] = [],
) {
  if (p.status === "notice") return t("results.status.notice", { time: formatTime(lang, p.noticeUntil) });
  if (p.status === "final") return t("results.status.final");
  const by = all.find((x) => x.id === p.supersededBy);
  return by ? t("results.status.withdrawn", { n: by.version }) : t("results.status.withdrawnPlain");
}
