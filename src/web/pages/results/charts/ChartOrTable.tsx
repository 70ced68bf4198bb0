import { Segmented } from "antd";
import { type ReactNode, useState } from "react";
import { useLocale } from "../../../locales";

/**
 * A chart or its table view, switched by the reader; the description stays under either, so the
 * figures' summary is read (and seen) whichever is shown.
 */
export function ChartOrTable({
  id,
  chart,
  table,
  description,
}: {
  id: string;
  chart: ReactNode;
  table: ReactNode;
  description: string;
}) {
  const { t } = useLocale();
  const [view, setView] = useState<"chart" | "table">("chart");
  return (
    <>
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
      <div id={id}>{view === "chart" ? chart : table}</div>
      <p className="chart-description" id={`${id}-description`}>
        {description}
      </p>
    </>
  );
}
