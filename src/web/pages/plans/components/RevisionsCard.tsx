import { Card, Skeleton, Typography } from "antd";
import type { RevisionList } from "../../../../server/modules/plans/schema.js";
import { ExportTable } from "../../../components/ExportTable";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { formatTime } from "../../../components/time";
import { useLocale } from "../../../locales";
import { useRevisions } from "../../../services/plans";
import { PlanStatusTag } from "./PlanStatusTag";

type Revision = RevisionList["items"][number];

/** The plan's versions with their reasons (read only: revising is the plan designer's). */
export function RevisionsCard({ planId }: { planId: string }) {
  const { t, lang } = useLocale();
  const revisions = useRevisions(planId);
  return (
    <Card className="section" title={<h2 className="card-title">{t("plans.revisions.title")}</h2>}>
      {revisions.isPending ? (
        <Skeleton active />
      ) : revisions.isError ? (
        <ProblemAlert error={revisions.error} title={t("error.load")} />
      ) : (
        <ExportTable<Revision>
          exportTitle={[t("plans.revisions.title")]}
          rowKey="version"
          size="small"
          pagination={false}
          dataSource={revisions.data.items}
          columns={[
            {
              title: t("plans.revisions.col.version"),
              dataIndex: "version",
              render: (v: number) => `v${v}`,
              width: 90,
            },
            {
              title: t("plans.col.status"),
              dataIndex: "status",
              width: 110,
              render: (s: Revision["status"]) => <PlanStatusTag status={s} />,
            },
            {
              title: t("plans.revisions.col.time"),
              dataIndex: "createdAt",
              export: { kind: "datetime" },
              render: (v: string) => formatTime(lang, v),
            },
            {
              title: t("plans.revisions.col.author"),
              dataIndex: "author",
              render: (a: string | null) => a ?? "—",
            },
            {
              title: t("plans.revisions.col.reason"),
              dataIndex: "reason",
              render: (r: string | null) => r ?? t("plans.revisions.first"),
            },
          ]}
        />
      )}
      <Typography.Paragraph type="secondary" className="section-note">
        {t("plans.revisions.designer")}
      </Typography.Paragraph>
    </Card>
  );
}
