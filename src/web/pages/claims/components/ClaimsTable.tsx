import { PaperClipOutlined } from "@ant-design/icons";
import { Button, Tag, Upload } from "antd";
import { ExportTable } from "../../../components/ExportTable";
import { useLocale } from "../../../locales";
import { type ClaimView, claimFileUrl } from "../../../services/claims";
import { type CatalogItem, kindColor } from "./catalog";
import { ACCEPT } from "./EvidencePicker";

const statusColor = { pending: "orange", approved: "green", rejected: "red" } as const;

/** The items with their evidence and state; the office decides pending claims, a unit adds evidence to its own. */
export function ClaimsTable(props: {
  planId: string;
  claims: ClaimView[];
  catalog: CatalogItem[];
  unitName: (code: string) => string;
  canDecide: boolean;
  canAttach: (c: ClaimView) => boolean;
  attaching: string | undefined;
  onDecide(c: ClaimView): void;
  onAttach(c: ClaimView, file: File): void;
}) {
  const { t } = useLocale();
  const itemOf = (code: string) => props.catalog.find((c) => c.code === code);
  return (
    <div className="table-scroll">
      <ExportTable<ClaimView>
        exportTitle={[t("claims.title")]}
        className="claims-list"
        rowKey="id"
        size="middle"
        dataSource={props.claims}
        pagination={props.claims.length > 20 ? { pageSize: 20 } : false}
        columns={[
          {
            title: t("claims.col.unit"),
            dataIndex: "unit",
            className: "nowrap",
            render: (u: string) => props.unitName(u),
          },
          {
            title: t("claims.col.item"),
            dataIndex: "item",
            render: (code: string) => {
              const item = itemOf(code);
              return (
                <span className="claims-item">
                  {item ? <Tag color={kindColor[item.kind]}>{t(`claims.kind.${item.kind}`)}</Tag> : null}
                  {item?.name ?? code}
                </span>
              );
            },
          },
          {
            title: t("claims.col.level"),
            dataIndex: "level",
            className: "nowrap",
            render: (l: string | null) => l ?? "—",
          },
          { title: t("claims.col.value"), dataIndex: "value", align: "right" },
          { title: t("claims.col.ref"), dataIndex: "ref", render: (r: string | null) => r ?? "—" },
          {
            title: t("claims.col.note"),
            dataIndex: "note",
            className: "claims-text",
            render: (n: string | null) => n ?? "—",
          },
          {
            title: t("claims.col.evidence"),
            key: "evidence",
            render: (_, c) =>
              c.evidence.length === 0 ? (
                <span className="claims-none">{t("claims.noEvidence")}</span>
              ) : (
                <ul className="claims-files">
                  {c.evidence.map((f) => (
                    <li key={f.id}>
                      <a href={claimFileUrl(props.planId, c.id, f.id)} download={f.filename}>
                        <PaperClipOutlined /> {f.filename}
                      </a>
                    </li>
                  ))}
                </ul>
              ),
          },
          {
            title: t("claims.col.status"),
            dataIndex: "status",
            render: (s: ClaimView["status"]) => <Tag color={statusColor[s]}>{t(`claims.status.${s}`)}</Tag>,
          },
          {
            title: t("claims.col.decision"),
            dataIndex: "decisionReason",
            className: "claims-text",
            render: (r: string | null) => r ?? "—",
          },
          {
            title: t("claims.col.actions"),
            key: "actions",
            render: (_, c) => (
              <span className="claims-actions">
                {props.canDecide && c.status === "pending" ? (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => props.onDecide(c)}
                    aria-label={`${t("claims.decide")} ${props.unitName(c.unit)} ${itemOf(c.item)?.name ?? c.item}`}
                  >
                    {t("claims.decide")}
                  </Button>
                ) : null}
                {props.canAttach(c) ? (
                  <Upload
                    accept={ACCEPT}
                    showUploadList={false}
                    customRequest={({ file }) => props.onAttach(c, file as File)}
                  >
                    <Button
                      size="small"
                      color="primary"
                      variant="link"
                      icon={<PaperClipOutlined />}
                      loading={props.attaching === c.id}
                    >
                      {t("claims.attach")}
                    </Button>
                  </Upload>
                ) : null}
              </span>
            ),
          },
        ]}
      />
    </div>
  );
}
