import { Alert, Card, Progress, Skeleton, Statistic, Tag } from "antd";
import type { ProgressReply } from "../../../../server/modules/workflow/schema.js";
import { ExportTable } from "../../../components/ExportTable";
import { useLocale } from "../../../locales";
import { ApiError } from "../../../services/http";
import { useProgress } from "../../../services/plans";

type UnitRow = ProgressReply["units"][number];
const countKeys = ["expected", "entered", "submitted", "returned", "approved", "missingEvidence"] as const;

/** Per-unit progress of the year at a glance: entered, submitted, returned, approved, missing evidence. */
export function OfficeProgress({ planId }: { planId: string }) {
  const { t, lang } = useLocale();
  const progress = useProgress(planId);
  if (progress.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (progress.isError)
    return (
      <Alert
        type="error"
        showIcon
        title={t("error.load")}
        description={progress.error instanceof ApiError ? progress.error.problem.title : undefined}
      />
    );
  // The deadline is on the plan's agenda card just above: not repeated here.
  const { totals, units } = progress.data;
  const share = (r: Pick<UnitRow, "approved" | "expected">) =>
    r.expected ? Math.round((100 * r.approved) / r.expected) : 0;
  return (
    <>
      <Card className="home-summary">
        <div className="home-stats">
          {countKeys.map((k) => (
            <Statistic key={k} title={t(`count.${k}`)} value={totals[k]} />
          ))}
        </div>
      </Card>
      <Card title={<h2 className="card-title">{t("home.progress")}</h2>}>
        <ExportTable<UnitRow>
          exportTitle={[t("home.progress")]}
          rowKey="unit"
          size="middle"
          pagination={false}
          dataSource={units}
          columns={[
            {
              title: t("home.col.unit"),
              dataIndex: "name",
              render: (name: string, r) => `${name}（${r.unit}）`,
            },
            {
              title: t("home.col.progress"),
              key: "progress",
              width: 220,
              render: (_, r) => (
                <Progress percent={share(r)} size="small" aria-label={`${r.name} ${share(r)}%`} />
              ),
            },
            ...countKeys.slice(1).map((k) => ({
              title: t(`count.${k}`),
              dataIndex: k,
              align: "right" as const,
              render: (n: number) =>
                (k === "returned" || k === "missingEvidence") && n > 0 ? <Tag color="red">{n}</Tag> : n,
            })),
            {
              title: t("home.col.window"),
              key: "window",
              render: (_, r) =>
                r.reopenedUntil ? (
                  <Tag color="blue">
                    {t("home.reopenedUntil", {
                      time: new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "short" }).format(
                        new Date(r.reopenedUntil),
                      ),
                    })}
                  </Tag>
                ) : (
                  <Tag color={r.open ? "green" : "default"}>
                    {r.open ? t("home.reporting.open") : t("home.reporting.DEADLINE_PASSED")}
                  </Tag>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}
