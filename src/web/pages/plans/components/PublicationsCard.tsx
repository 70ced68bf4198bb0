import type { UseQueryResult } from "@tanstack/react-query";
import { App, Card, Empty, Skeleton, Space, Tag } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import type { OfficeSummary, Paged } from "../../../../server/modules/publication/schema.js";
import { ConfirmButton } from "../../../components/ConfirmButton";
import { ExportTable } from "../../../components/ExportTable";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { formatTime } from "../../../components/time";
import { useLocale } from "../../../locales";
import { ordinal, useFinalise } from "../../../services/publications";

const colours = { notice: "orange", final: "green", withdrawn: "default" } as const;

/** Every publication (公示) with its notice, objections and what it superseded; finalising. */
export function PublicationsCard({
  planId,
  publications,
}: {
  planId: string;
  publications: UseQueryResult<Paged<OfficeSummary>>;
}) {
  const { t, lang } = useLocale();
  const { message } = App.useApp();
  const finalise = useFinalise(planId);
  const [finalising, setFinalising] = useState<string>();
  return (
    <Card className="section" title={<h2 className="card-title">{t("plans.pubs.title")}</h2>}>
      <ProblemAlert
        className="form-alert-top"
        error={finalise.error}
        title={t("plans.pubs.finalise.failed")}
      />
      {publications.isPending ? (
        <Skeleton active />
      ) : publications.isError ? (
        <ProblemAlert error={publications.error} title={t("error.load")} />
      ) : publications.data.items.length === 0 ? (
        <Empty description={t("plans.pubs.empty")} />
      ) : (
        <ExportTable<OfficeSummary>
          exportTitle={[t("plans.pubs.title")]}
          rowKey="id"
          size="middle"
          pagination={false}
          dataSource={publications.data.items}
          columns={[
            {
              title: t("plans.pubs.col.version"),
              key: "ordinal",
              width: 90,
              render: (_, p) => ordinal(publications.data.items, p.id),
            },
            {
              title: t("plans.pubs.col.published"),
              dataIndex: "publishedAt",
              export: { kind: "datetime" },
              render: (v: string, p) =>
                p.visibleFrom && Date.parse(p.visibleFrom) > Date.now() ? (
                  <>
                    {formatTime(lang, v)}{" "}
                    <Tag color="blue">
                      {t("plans.pubs.scheduled", { time: formatTime(lang, p.visibleFrom) })}
                    </Tag>
                  </>
                ) : (
                  formatTime(lang, v)
                ),
            },
            {
              title: t("plans.pubs.col.until"),
              dataIndex: "noticeUntil",
              export: { kind: "datetime" },
              render: (v: string) => formatTime(lang, v),
            },
            {
              title: t("plans.pubs.col.status"),
              dataIndex: "status",
              render: (s: OfficeSummary["status"]) => (
                <Tag color={colours[s]}>{t(`plans.pubs.status.${s}`)}</Tag>
              ),
            },
            {
              title: t("plans.pubs.col.objections"),
              key: "objections",
              render: (_, p) => (
                <Link to={`/objections?plan=${planId}&publication=${p.id}`}>
                  {p.openObjections > 0 ? <Tag color="red">{p.openObjections}</Tag> : p.openObjections} /{" "}
                  {p.objections}
                </Link>
              ),
            },
            {
              title: t("plans.pubs.col.actions"),
              key: "actions",
              render: (_, p) => (
                <Space>
                  <Link to={`/results?plan=${planId}&publication=${p.id}`}>{t("plans.pubs.results")}</Link>
                  <a
                    href={`/api/v1/plans/${planId}/publications/${p.id}/notice.pdf?lang=${lang}`}
                    title={t("plans.pubs.pdf.title")}
                    download
                  >
                    {t("plans.pubs.pdf")}
                  </a>
                  {p.status === "notice" ? (
                    <ConfirmButton
                      size="small"
                      question={t("plans.pubs.finalise.confirm")}
                      pending={finalise.isPending && finalising === p.id}
                      disabled={finalise.isPending}
                      onConfirm={() => {
                        setFinalising(p.id);
                        finalise.mutate(p.id, {
                          onSuccess: () => message.success(t("plans.pubs.finalise.done")),
                        });
                      }}
                    >
                      {t("plans.pubs.finalise")}
                    </ConfirmButton>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
