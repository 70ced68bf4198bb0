import { Segmented, Table } from "antd";
import { type ReactNode, useState } from "react";
import { ExportButton, type ExportColumns } from "../../../components/ExportButton";
import { useLocale } from "../../../locales";

/**
 * A chart or its table view, switched by the reader; the description stays under either, so the
 * figures' summary is read (and seen) whichever is shown. The chart's export control (Chart) and the
 * table's (an .xlsx of the same rows and columns) sit at the right of the switch's row.
 */
export function ChartOrTable<Row extends object>({
  id,
  chart,
  table,
  description,
}: {
  id: string;
  chart: ReactNode;
  /** The table view: its rows, columns (with their export), row key, and the export file's title parts. */
  table: {
    rows: readonly Row[];
    columns: ExportColumns<Row>;
    rowKey: keyof Row & string;
    title: readonly (string | undefined | null)[];
  };
  description: string;
}) {
  const { t } = useLocale();
  const [view, setView] = useState<"chart" | "table">("chart");
  return (
    <>
      <div className="chart-head">
        <Segmented
          className="chart-view-switch"
          aria-label={t("charts.view")}
          value={view}
          onChange={(v) => setView(v as "chart" | "table")}
          options={[
            { value: "chart", label: t("charts.view.chart") },
            { value: "table", label: t("charts.view.table") },
          ]}
        />
        {view === "table" ? (
          <ExportButton title={table.title} columns={table.columns} rows={table.rows} />
        ) : null}
      </div>
      <div id={id}>
        {view === "chart" ? (
          chart
        ) : (
          <Table<Row>
            className="chart-table"
            size="small"
            pagination={false}
            rowKey={table.rowKey}
            dataSource={[...table.rows]}
            columns={table.columns}
          />
        )}
      </div>
      <p className="chart-description" id={`${id}-description`}>
        {description}
      </p>
    </>
  );
}
