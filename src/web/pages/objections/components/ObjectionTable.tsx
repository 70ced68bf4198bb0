import { PaperClipOutlined } from "@ant-design/icons";
import { Button, Empty, Skeleton, Tag } from "antd";
import { useState } from "react";
import type { Plan } from "../../../../engine/index.js";
import type { ObjectionView } from "../../../../server/modules/publication/schema.js";
import { ExportTable } from "../../../components/ExportTable";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { formatTime } from "../../../components/time";
import { useLocale } from "../../../locales";
import { objectionFileUrl, useObjections } from "../../../services/objections";
import { cellLabel } from "./cells";
import { ResolveModal } from "./ResolveModal";

const colours = { open: "orange", accepted: "green", rejected: "default" } as const;

/** A publication's objections with their cells, evidence and resolution; the office resolves the open ones. */
export function ObjectionTable({
  planId,
  publicationId,
  plan,
  status,
  office,
}: {
  planId: string;
  publicationId: string;
  plan: Plan | undefined;
  status: ObjectionView["status"] | undefined;
  office: boolean;
}) {
  const { t, lang } = useLocale();
  const objections = useObjections(planId, publicationId, status);
  const [resolving, setResolving] = useState<ObjectionView>();
  const unitName = (code: string) => plan?.units.find((u) => u.code === code)?.name ?? code;
  if (objections.isPending) return <Skeleton active />;
  if (objections.isError) return <ProblemAlert error={objections.error} title={t("error.load")} />;
  if (objections.data.items.length === 0) return <Empty description={t("objections.empty")} />;
  return (
    <>
      <ExportTable<ObjectionView>
        exportTitle={[t("objections.title")]}
        rowKey="id"
        size="middle"
        pagination={false}
        dataSource={objections.data.items}
        columns={[
          {
            title: t("objections.col.filed"),
            dataIndex: "filedAt",
            width: 150,
            export: { kind: "datetime" },
            render: (v: string) => formatTime(lang, v),
          },
          { title: t("objections.col.unit"), dataIndex: "unit", width: 130, render: unitName },
          { title: t("objections.col.reason"), dataIndex: "reason" },
          {
            title: t("objections.col.cells"),
            dataIndex: "cells",
            render: (cells: ObjectionView["cells"]) => (
              <span className="objection-cells">
                {cells.length
                  ? cells.map((c) => (
                      <Tag key={`${c.indicator}|${c.period}`}>{cellLabel(plan, c, lang === "en")}</Tag>
                    ))
                  : "—"}
              </span>
            ),
          },
          {
            title: t("objections.col.evidence"),
            dataIndex: "evidence",
            width: 150,
            render: (files: ObjectionView["evidence"], o) =>
              files.length
                ? files.map((f) => (
                    <div key={f.id}>
                      <a href={objectionFileUrl(planId, publicationId, o.id, f.id)} download={f.filename}>
                        <PaperClipOutlined /> {f.filename}
                      </a>
                    </div>
                  ))
                : "—",
          },
          {
            title: t("objections.col.status"),
            dataIndex: "status",
            width: 100,
            render: (s: ObjectionView["status"]) => (
              <Tag color={colours[s]}>{t(`objections.status.${s}`)}</Tag>
            ),
          },
          {
            title: t("objections.col.resolution"),
            dataIndex: "resolution",
            width: 200,
            render: (r: string | null) => r ?? "—",
          },
          ...(office
            ? [
                {
                  title: t("objections.col.actions"),
                  key: "actions",
                  width: 90,
                  render: (_: unknown, o: ObjectionView) =>
                    o.status === "open" ? (
                      <Button size="small" type="primary" onClick={() => setResolving(o)}>
                        {t("objections.resolve")}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {resolving ? (
        <ResolveModal
          planId={planId}
          publicationId={publicationId}
          plan={plan}
          objection={resolving}
          unitName={unitName(resolving.unit)}
          onClose={() => setResolving(undefined)}
        />
      ) : null}
    </>
  );
}
