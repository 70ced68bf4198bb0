import { Segmented } from "antd";
import { type ReactNode, useState } from "react";
import { useLocale } from "../../../locales";

/**
 * A chart or its table view, switched by the reader; the description stays under either, so the
 * figures' summary is read (and seen) whichever is shown. The chart's export control (Chart) and the
 * table's (`tableExport`) sit at the right of the switch's row.
 */
export function ChartOrTable({
  id,
  chart,
  table,
  description,
  tableExport,
}: {
  id: string;
  chart: ReactNode;
  table: ReactNode;
  description: string;
  /** The table view's export control (ExportButton), beside the switch while the table is shown. */
  tableExport?: ReactNode;
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
        {view === "table" ? tableExport : null}
      </div>
      <div id={id}>{view === "chart" ? chart : table}</div>
      <p className="chart-description" id={`${id}-description`}>
        {description}
      </p>
    </>
  );
}
