import { Card, Table } from "antd";
import { useMemo } from "react";
import type { Plan, UnitResult } from "../../../../engine/index.js";
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
  return (
    <Card className="section chart-card" title={<h2 className="card-title">{title}</h2>}>
      <ChartOrTable
        id={id}
        chart={<Chart option={option} label={title} describedBy={`${id}-description`} />}
        table={
          <Table<Comparison>
            className="chart-table"
            size="small"
            pagination={false}
            rowKey="node"
            dataSource={rows}
            columns={[
              { key: "node", title: t("charts.col.indicator"), render: (_, r) => nodeName(r) },
              {
                key: "points",
                title: t("charts.col.points"),
                align: "right",
                render: (_, r) => r.points ?? "—",
              },
              { key: "unit", title: t("charts.series.unit"), align: "right", render: (_, r) => pts(r.unit) },
              {
                key: "median",
                title: t("charts.series.median"),
                align: "right",
                render: (_, r) => pts(r.median),
              },
              { key: "best", title: t("charts.series.best"), align: "right", render: (_, r) => pts(r.best) },
            ]}
          />
        }
        description={description}
      />
    </Card>
  );
}
