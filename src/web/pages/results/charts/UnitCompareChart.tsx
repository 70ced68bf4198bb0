import { Card } from "antd";
import { useMemo } from "react";
import type { Plan, UnitResult } from "../../../../engine/index.js";
import type { ExportColumns } from "../../../components/ExportButton";
import { planTitle } from "../../../components/export/title";
import { useLocale } from "../../../locales";
import { Chart } from "./Chart";
import { ChartOrTable } from "./ChartOrTable";
import { type Comparison, comparison, pts } from "./data";
import type { ChartOption } from "./echarts";
import "./charts.css";

/**
 * A unit's points per top-level indicator as bars beside its category's median and best (the run's
 * numbers), or as their table.
 */
export default function UnitCompareChart({
  plan,
  units,
  unit,
}: {
  plan: Plan | undefined;
  units: readonly UnitResult[];
  unit: UnitResult;
}) {
  const { t, lang } = useLocale();
  const en = lang === "en";
  const rows = useMemo(() => comparison(plan, units, unit), [plan, units, unit]);
  const nodeName = (r: Comparison) => `${r.node} ${en && r.nameEn ? r.nameEn : r.name}`;
  const option = useMemo<ChartOption>(() => {
    const label = (r: Comparison) => `${r.node} ${en && r.nameEn ? r.nameEn : r.name}`;
    return {
      animation: false,
      grid: { left: 48, right: 24, top: 40, bottom: 56 },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: {
        type: "category",
        data: rows.map(label),
        axisLabel: { interval: 0, width: 200, overflow: "break" },
      },
      yAxis: { type: "value", min: 0 },
      series: (
        [
          ["unit", t("charts.series.unit"), "#1d4e89"],
          ["median", t("charts.series.median"), "#8c8c8c"],
          ["best", t("charts.series.best"), "#ad6800"],
        ] as const
      ).map(([key, name, color]) => ({
        type: "bar" as const,
        name,
        itemStyle: { color },
        data: rows.map((r) => Math.round(r[key] * 100) / 100),
      })),
    };
  }, [rows, t, en]);
  const name = (en ? plan?.units.find((u) => u.code === unit.unit)?.nameEn : undefined) ?? unit.name;
  const title = t("charts.compare");
  const description = t("charts.compare.desc", {
    unit: name,
    items: rows
      .map((r) =>
        t("charts.compare.item", {
          node: nodeName(r),
          unit: pts(r.unit),
          median: pts(r.median),
          best: pts(r.best),
        }),
      )
      .join(t("charts.separator")),
  });
  const id = `compare-${unit.unit}`;
  const file = planTitle(plan, lang);
  const num = (key: "unit" | "median" | "best") => ({
    value: (r: Comparison) => r[key],
    kind: "number" as const,
    decimals: 2,
  });
  const columns: ExportColumns<Comparison> = [
    { key: "node", title: t("charts.col.indicator"), render: (_, r) => nodeName(r), export: nodeName },
    {
      key: "points",
      title: t("charts.col.points"),
      align: "right",
      render: (_, r) => r.points ?? "—",
      export: { value: (r) => r.points, kind: "number", decimals: 2 },
    },
    {
      key: "unit",
      title: t("charts.series.unit"),
      align: "right",
      render: (_, r) => pts(r.unit),
      export: num("unit"),
    },
    {
      key: "median",
      title: t("charts.series.median"),
      align: "right",
      render: (_, r) => pts(r.median),
      export: num("median"),
    },
    {
      key: "best",
      title: t("charts.series.best"),
      align: "right",
      render: (_, r) => pts(r.best),
      export: num("best"),
    },
  ];
  return (
    <Card className="section chart-card" title={<h2 className="card-title">{title}</h2>}>
      <ChartOrTable
        id={id}
        chart={<Chart option={option} label={title} describedBy={`${id}-description`} file={[file, name]} />}
        table={{ rows: rows, columns, rowKey: "node", title: [file, name, title] }}
        description={description}
      />
    </Card>
  );
}
