import { Tag } from "antd";
import { useMinuteClock } from "../../../components/clock";
import { useLocale } from "../../../locales";

type ClosedBy = "PLAN_DRAFT" | "PLAN_FROZEN" | "DEADLINE_PASSED" | null;

/**
 * The deadline with the time left (counted on the page's clock, minute by minute), or why reporting is
 * closed. A unit reopened (补报) until later than the plan's deadline counts down to its own reopening
 * instead. The last day counts hours and minutes.
 */
export function Deadline({
  deadline,
  open,
  closedBy,
  reopenedUntil,
}: {
  deadline: string | null;
  open: boolean;
  closedBy: ClosedBy;
  reopenedUntil?: string | null;
}) {
  const { t, lang } = useLocale();
  const now = useMinuteClock();
  const reopened =
    reopenedUntil != null && (deadline === null || new Date(reopenedUntil) > new Date(deadline));
  const end = reopened ? reopenedUntil : deadline;
  const when = end
    ? new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(end))
    : t("home.noDeadline");
  const left = end ? new Date(end).getTime() - now : undefined;
  return (
    <span className="deadline">
      <span>
        {reopened ? t("home.reopened") : t("home.deadline")}
        {lang === "en" ? ": " : "："}
        {when}
      </span>
      {open && left !== undefined && left > 0 ? (
        <Tag color={left < 86_400_000 ? "red" : left < 7 * 86_400_000 ? "orange" : "blue"}>
          {left < 86_400_000
            ? t("home.remainingToday", {
                hours: Math.floor(left / 3_600_000),
                minutes: Math.floor((left % 3_600_000) / 60_000),
              })
            : t("home.remaining", {
                days: Math.floor(left / 86_400_000),
                hours: Math.floor((left % 86_400_000) / 3_600_000),
              })}
        </Tag>
      ) : null}
      <Tag color={open ? "green" : "default"}>
        {open ? t("home.reporting.open") : closedBy ? t(`home.reporting.${closedBy}`) : ""}
      </Tag>
    </span>
  );
}
