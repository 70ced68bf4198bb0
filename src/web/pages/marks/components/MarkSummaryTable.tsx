import { Alert, Card, Skeleton } from "antd";
import type { Plan } from "../../../../engine/plan/schema.js";
import { ExportTable } from "../../../components/ExportTable";
import { planTitle } from "../../../components/export/title";
import { useLocale } from "../../../locales";
import { ApiError } from "../../../services/http";
import { type MarkSummary, useMarkSummary } from "../../../services/marks";

type Row = MarkSummary["items"][number];

/** The office's view: how many reviewers marked each unit and the trimmed mean the run scores. */
export function MarkSummaryTable({
  planId,
  plan,
  indicator,
}: {
  planId: string;
  plan: Plan;
  indicator: string;
}) {
  const { t, lang } = useLocale();
  const summary = useMarkSummary(planId, true);
  const units = new Map(plan.units.map((u) => [u.code, lang === "en" && u.nameEn ? u.nameEn : u.name]));
  const number = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const rows = (summary.data?.items ?? []).filter((r) => r.indicator === indicator);
  return (
    <Card
      className="marks-card"
      title={<h2 className="card-title">{t("marks.summary")}</h2>}
      extra={<span className="marks-hint">{t("marks.summaryHint")}</span>}
    >
      {summary.isPending ? (
        <Skeleton active />
      ) : summary.isError ? (
        <Alert
          type="error"
          showIcon
          title={t("error.load")}
          description={summary.error instanceof ApiError ? summary.error.problem.title : undefined}
        />
      ) : (
        <ExportTable<Row>
          exportTitle={[planTitle(plan, lang), t("marks.summary")]}
          rowKey="unit"
          size="small"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t("marks.col.unit"), dataIndex: "unit", render: (u: string) => units.get(u) ?? u },
            { title: t("marks.col.reviewers"), dataIndex: "reviewers", align: "right" },
            { title: t("marks.col.kept"), dataIndex: "kept", align: "right" },
            {
              title: t("marks.col.mean"),
              key: "mean",
              align: "right",
              render: (_, r) =>
                r.mean === null
                  ? t("marks.noMarks")
                  : `${number.format(r.mean)} / ${number.format(r.markMax)}`,
            },
          ]}
        />
      )}
    </Card>
  );
}
