import { Alert, Button, Card, Empty, Segmented, Skeleton, Tag } from "antd";
import { useState } from "react";
import { ExportTable } from "../../../components/ExportTable";
import { problemTitle } from "../../../components/form-problem";
import { useLocale } from "../../../locales";
import { type TargetAdjustmentView, useTargetAdjustments } from "../../../services/targets";
import { DecideModal } from "./DecideModal";

const statuses = ["pending", "approved", "rejected"] as const;
const colors = { pending: "orange", approved: "green", rejected: "red" } as const;

/** 目标调整申请: every request with its state; the office decides the pending ones. */
export function AdjustmentsCard(props: {
  planId: string;
  canDecide: boolean;
  unitName: (code: string) => string;
  indicatorName: (code: string) => string;
  onDone(text: string): void;
}) {
  const { t, lang } = useLocale();
  const [status, setStatus] = useState<(typeof statuses)[number] | "all">("all");
  const list = useTargetAdjustments(props.planId, status === "all" ? undefined : status);
  const [deciding, setDeciding] = useState<TargetAdjustmentView>();
  const time = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "short" });

  return (
    <Card
      title={<h2 className="card-title">{t("targets.list")}</h2>}
      extra={
        <Segmented
          aria-label={t("targets.filter")}
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          options={[
            { value: "all", label: t("targets.filter.all") },
            ...statuses.map((s) => ({ value: s, label: t(`targets.status.${s}`) })),
          ]}
        />
      }
    >
      {list.isPending ? (
        <Skeleton active />
      ) : list.isError ? (
        <Alert type="error" showIcon title={t("error.load")} description={problemTitle(list.error)} />
      ) : list.data.items.length === 0 ? (
        <Empty description={t("targets.list.empty")} />
      ) : (
        <div className="table-scroll">
          <ExportTable<TargetAdjustmentView>
            exportTitle={[t("targets.list")]}
            className="targets-list"
            rowKey="id"
            size="middle"
            dataSource={list.data.items}
            pagination={list.data.items.length > 20 ? { pageSize: 20 } : false}
            columns={[
              {
                title: t("targets.col.unit"),
                dataIndex: "unit",
                className: "nowrap",
                render: (u: string) => props.unitName(u),
              },
              {
                title: t("targets.col.indicator"),
                dataIndex: "indicator",
                render: (code: string) => props.indicatorName(code),
              },
              { title: t("targets.col.original"), dataIndex: "original", align: "right" },
              { title: t("targets.col.requested"), dataIndex: "requested", align: "right" },
              { title: t("targets.col.reason"), dataIndex: "reason", className: "targets-reason" },
              {
                title: t("targets.col.requestedAt"),
                dataIndex: "requestedAt",
                render: (at: string) => time.format(new Date(at)),
              },
              {
                title: t("targets.col.status"),
                dataIndex: "status",
                render: (s: TargetAdjustmentView["status"]) => (
                  <Tag color={colors[s]}>{t(`targets.status.${s}`)}</Tag>
                ),
              },
              {
                title: t("targets.col.decision"),
                dataIndex: "decisionReason",
                className: "targets-reason",
                render: (r: string | null) => r ?? "—",
              },
              ...(props.canDecide
                ? [
                    {
                      title: t("targets.col.actions"),
                      key: "actions",
                      render: (_: unknown, a: TargetAdjustmentView) =>
                        a.status === "pending" ? (
                          <Button
                            size="small"
                            type="primary"
                            onClick={() => setDeciding(a)}
                            aria-label={`${t("targets.decide")} ${props.unitName(a.unit)} ${a.indicator}`}
                          >
                            {t("targets.decide")}
                          </Button>
                        ) : null,
                    },
                  ]
                : []),
            ]}
          />
        </div>
      )}
      <DecideModal
        planId={props.planId}
        adjustment={deciding}
        unitName={props.unitName}
        onClose={() => setDeciding(undefined)}
        onDone={props.onDone}
      />
    </Card>
  );
}
