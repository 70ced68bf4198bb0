import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Space, Upload } from "antd";
import { ExportTable } from "../../../components/ExportTable";
import { problemTitle } from "../../../components/form-problem";
import { useLocale } from "../../../locales";
import {
  cellErrors,
  type TargetCellError,
  targetTemplateUrl,
  type useUploadTargets,
} from "../../../services/targets";

/**
 * The Excel round trip: the unit's target template out, and (for the leader) the filled-in file back
 * as adjustment requests; a refusal lists every error at its row and column (and marks the matrix).
 */
export function ExcelCard(props: {
  planId: string;
  unit: string;
  canUpload: boolean;
  upload: ReturnType<typeof useUploadTargets>;
  onDone(text: string): void;
}) {
  const { t } = useLocale();
  const { upload } = props;
  const errors = cellErrors(upload.error);
  return (
    <Card title={<h2 className="card-title">{t("targets.excel")}</h2>}>
      <p className="card-hint">{props.canUpload ? t("targets.excel.hint") : t("targets.excel.hintRead")}</p>
      <Space wrap>
        {(["xlsx", "csv"] as const).map((format) => (
          <Button
            key={format}
            icon={<DownloadOutlined />}
            href={targetTemplateUrl(props.planId, props.unit, format)}
            download
          >
            {t("targets.excel.download", { format: format.toUpperCase() })}
          </Button>
        ))}
        {props.canUpload ? (
          <Upload
            accept=".xlsx,.csv"
            showUploadList={false}
            maxCount={1}
            customRequest={({ file }) =>
              upload.mutate(file as File, {
                onSuccess: (reply) => props.onDone(t("targets.excel.done", { count: reply.requested })),
              })
            }
          >
            <Button type="primary" icon={<UploadOutlined />} loading={upload.isPending}>
              {t("targets.excel.upload")}
            </Button>
          </Upload>
        ) : null}
      </Space>
      {upload.isError ? (
        <div className="targets-upload-errors">
          <Alert type="error" showIcon title={problemTitle(upload.error)} role="alert" />
          {errors.length > 0 ? (
            <ExportTable<TargetCellError>
              exportTitle={[t("targets.excel.errors")]}
              className="targets-error-table"
              size="small"
              pagination={false}
              rowKey={(e) => `${e.row}-${e.column}`}
              caption={t("targets.excel.errors")}
              dataSource={errors}
              columns={[
                {
                  title: t("targets.excel.col.row"),
                  dataIndex: "row",
                  width: 90,
                  render: (row: number) => t("targets.excel.rowN", { row }),
                },
                { title: t("targets.excel.col.column"), dataIndex: "column", width: 130 },
                { title: t("targets.excel.col.indicator"), dataIndex: "indicator", width: 100 },
                { title: t("targets.excel.col.message"), dataIndex: "message" },
              ]}
            />
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
