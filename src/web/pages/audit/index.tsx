import { DownloadOutlined, SearchOutlined } from "@ant-design/icons";
import { Alert, Button, Card, DatePicker, Empty, Form, Input, Space, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import type { AuditEntry, AuditFilters } from "../../../server/modules/audit/schema.js";
import { ExportTable } from "../../components/ExportTable";
import { useLocale } from "../../locales";
import { auditExportUrl, useAuditLog } from "../../services/audit";
import { ApiError } from "../../services/http";
import { ChainStatus } from "./components/ChainStatus";

interface Fields {
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  time?: [Dayjs | null, Dayjs | null] | null;
}
const PAGE_SIZE = 20;

const toFilters = ({ time, ...text }: Fields): AuditFilters => {
  const filters: AuditFilters = {};
  for (const [name, value] of Object.entries(text) as [keyof typeof text, string | undefined][])
    if (value?.trim()) filters[name] = value.trim();
  if (time?.[0]) filters.from = time[0].toISOString();
  if (time?.[1]) filters.to = time[1].toISOString();
  return filters;
};

const json = (value: unknown) =>
  value === null || value === undefined ? "—" : JSON.stringify(value, null, 2);

/** The audit administrator's trail: the chain's verification first, then search, paging and CSV export. */
export default function AuditPage() {
  const { t, lang } = useLocale();
  const [form] = Form.useForm<Fields>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [page, setPage] = useState(1);
  const log = useAuditLog(filters, page, PAGE_SIZE);
  const time = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium" });

  return (
    <div className="page">
      <Typography.Title level={2}>{t("nav.audit")}</Typography.Title>
      <p className="admin-note">{t("audit.intro")}</p>
      <ChainStatus />
      <Card className="audit-filters">
        <Form
          form={form}
          layout="inline"
          onFinish={(values) => {
            setFilters(toFilters(values));
            setPage(1);
          }}
        >
          <Form.Item name="actor" label={t("audit.filter.actor")}>
            <Input allowClear autoComplete="off" />
          </Form.Item>
          <Form.Item name="action" label={t("audit.filter.action")}>
            <Input allowClear autoComplete="off" placeholder="auth.login" />
          </Form.Item>
          <Form.Item name="entity" label={t("audit.filter.entity")}>
            <Input allowClear autoComplete="off" placeholder="user" />
          </Form.Item>
          <Form.Item name="time" label={t("audit.filter.time")}>
            <DatePicker.RangePicker
              showTime
              allowEmpty={[true, true]}
              placeholder={[t("audit.filter.start"), t("audit.filter.end")]}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t("audit.search")}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setFilters({});
                  setPage(1);
                }}
              >
                {t("audit.reset")}
              </Button>
              <Button icon={<DownloadOutlined />} href={auditExportUrl(filters)} download>
                {t("audit.export")}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        {log.isError ? (
          <Alert
            type="error"
            showIcon
            title={t("error.load")}
            description={log.error instanceof ApiError ? log.error.problem.title : undefined}
          />
        ) : (
          <ExportTable<AuditEntry>
            exportTitle={[t("nav.audit")]}
            rowKey="seq"
            size="middle"
            loading={log.isPending || log.isFetching}
            dataSource={log.data?.items ?? []}
            locale={{ emptyText: <Empty description={t("audit.empty")} /> }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: log.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (n) => t("audit.total", { n }),
              onChange: setPage,
            }}
            expandable={{
              expandedRowRender: (e) => (
                <div className="audit-detail">
                  <div>
                    <strong>{t("audit.before")}</strong>
                    <pre className="audit-json">{json(e.before)}</pre>
                  </div>
                  <div>
                    <strong>{t("audit.after")}</strong>
                    <pre className="audit-json">{json(e.after)}</pre>
                  </div>
                  <div className="audit-hash">
                    <strong>{t("audit.hash")}</strong> <span className="admin-mono">{e.hash}</span>
                  </div>
                </div>
              ),
            }}
            columns={[
              { title: t("audit.col.seq"), dataIndex: "seq", key: "seq", width: 80 },
              {
                title: t("audit.col.at"),
                dataIndex: "at",
                key: "at",
                width: 200,
                export: { kind: "datetime" },
                render: (at: string) => time.format(new Date(at)),
              },
              { title: t("audit.col.actor"), dataIndex: "actor", key: "actor" },
              {
                title: t("audit.col.action"),
                dataIndex: "action",
                key: "action",
                render: (a: string) => <span className="admin-mono">{a}</span>,
              },
              {
                title: t("audit.col.entity"),
                key: "entity",
                render: (_, e) => (
                  <span className="admin-mono">
                    {e.entity}
                    {e.entityId ? ` ${e.entityId.slice(0, 8)}` : ""}
                  </span>
                ),
              },
              {
                title: t("audit.col.ip"),
                dataIndex: "ip",
                key: "ip",
                render: (ip: string | null) => ip ?? "—",
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
