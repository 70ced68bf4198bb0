import { Card } from "antd";
import { useMemo } from "react";
import type { Plan, ScoringRun } from "../../../../engine/index.js";
import type { ExportColumns } from "../../../components/ExportButton";
import { planTitle } from "../../../components/export/title";
import { useLocale } from "../../../locales";
import { Chart } from "./Chart";
import { ChartOrTable } from "./ChartOrTable";
import { type Distribution, distributions, pts } from "./data";
import type { ChartOption } from "./echarts";
import "./charts.css";

type T = ReturnType<typeof useLocale>["t"];
type Row = Distribution["units"][number];

/** The chart's own description: range, median, every grade and quota line, for a screen reader. */
/** A grade as the interface names it: the plan's English name where it has one. */
const gradeName = (g: { grade: string; nameEn?: string }, en: boolean) =>
  en && g.nameEn ? g.nameEn : g.grade;

function describe(t: T, d: Distribution, label: string, en: boolean): string {
  const totals = d.units.map((u) => u.total);
  const lines = [
    ...d.thresholds.map((x) => t("charts.threshold", { grade: gradeName(x, en), score: x.minScore })),
    ...d.quotas.map((q) => t("charts.quota", { grade: gradeName(q, en), limit: q.limit })),
  ].join(t("charts.separator"));
  return t("charts.distribution.desc", {
    category: label,
    n: d.units.length,
    min: pts(Math.min(...totals)),
    max: pts(Math.max(...totals)),
    median: pts(d.median),
    lines,
  });
}

function optionOf(t: T, d: Distribution, en: boolean): ChartOption {
  const names = d.units.map((u) => (en && u.nameEn ? u.nameEn : u.name));
  const top = Math.max(100, ...d.units.map((u) => u.total));
  const median = t("charts.median", { median: pts(d.median) });
  const medianLine = { color: "#595959", type: "dotted" as const, width: 1.5 };
  return {
    animation: false,
    // Room above the bars for the quota's label, right of the plot for the grades' lines.
    grid: { left: 48, right: 104, top: 40, bottom: 56 },
    tooltip: { trigger: "axis" },
    // The median named in a legend above the plot: a label on its line sat on the first (tallest) bar.
    legend: {
      // The icon drawn as the line is (a row of dots), not the line series' default circle.
      data: [
        { name: median, icon: "path://M0,0h2v2h-2zM5,0h2v2h-2zM10,0h2v2h-2zM15,0h2v2h-2zM20,0h2v2h-2z" },
      ],
      top: 4,
      right: 104,
      itemWidth: 22,
      itemHeight: 2,
      textStyle: { color: "#595959" },
    },
    xAxis: [
      {
        type: "category",
        data: names,
        // Long names (English ones) break onto lines within their bar's width rather than overlap.
        axisLabel: {
          interval: 0,
          width: Math.max(60, Math.floor(900 / names.length) - 16),
          overflow: "break",
        },
      },
      // The bars' places as numbers (bar i at i): a category axis puts a mark line at a whole bar,
      // so the quota's cut, between two bars, is drawn on this hidden one.
      { type: "value", show: false, min: -0.5, max: names.length - 0.5 },
    ],
    yAxis: {
      type: "value",
      min: 0,
      max: Math.ceil(top / 10) * 10 + 10,
      name: t("charts.total"),
      // At the plot's left edge, not where the hidden x axis has its 0 (the first bar).
      axisLine: { onZero: false },
    },
    series: [
      {
        type: "bar",
        name: t("charts.total"),
        data: d.units.map((u) => Math.round(u.total * 100) / 100),
        itemStyle: { color: "#1d4e89" },
        label: { show: true, position: "top", formatter: ({ value }) => pts(Number(value)) },
        markLine: {
          symbol: "none",
          silent: true,
          data: [
            ...d.thresholds.map((x) => ({
              yAxis: x.minScore,
              lineStyle: { color: "#ad6800", type: "dashed" as const },
              label: { formatter: t("charts.line", { grade: gradeName(x, en), score: x.minScore }) },
            })),
            { yAxis: Math.round(d.median * 100) / 100, lineStyle: medianLine, label: { show: false } },
          ],
        },
      },
      // No points: the quota's cut, between the last unit the grade allows and the next.
      {
        type: "line",
        xAxisIndex: 1,
        data: [],
        silent: true,
        markLine: {
          symbol: "none",
          silent: true,
          data: d.quotas.map((q) => ({
            xAxis: q.limit - 0.5,
            lineStyle: { color: "#a8071a", type: "solid" as const },
            label: {
              formatter: t("charts.quota", { grade: gradeName(q, en), limit: q.limit }),
              position: "end" as const,
            },
          })),
        },
      },
      // No points: the legend's entry for the median line (drawn as the bars' mark line).
      {
        type: "line",
        name: median,
        data: [],
        symbol: "none",
        itemStyle: { color: medianLine.color },
        lineStyle: medianLine,
        silent: true,
      },
    ],
  };
}

/** Each category's distribution of totals: a bar per unit with grade, median and quota lines, or its table. */
export default function DistributionCharts({ plan, run }: { plan: Plan | undefined; run: ScoringRun }) {
  const { t, lang } = useLocale();
  const en = lang === "en";
  const all = useMemo(() => distributions(plan, run), [plan, run]);
  const options = useMemo(() => all.map((d) => optionOf(t, d, en)), [all, t, en]);
  const file = planTitle(plan, lang);
  const columns: ExportColumns<Row> = [
    { key: "rank", title: t("charts.col.rank"), render: (_, u) => u.rank ?? "—", export: (u) => u.rank },
    {
      key: "unit",
      title: t("charts.col.unit"),
      render: (_, u) => (en && u.nameEn ? u.nameEn : u.name),
      export: (u) => (en && u.nameEn ? u.nameEn : u.name),
    },
    {
      key: "total",
      title: t("charts.col.total"),
      align: "right",
      render: (_, u) => pts(u.total),
      export: { value: (u) => u.total, kind: "number", decimals: 2 },
    },
    { key: "grade", title: t("charts.col.grade"), render: (_, u) => u.grade ?? "—", export: (u) => u.grade },
  ];
  return (
    <>
      {all.map((d, i) => {
        const label = en && d.nameEn ? d.nameEn : d.name;
        const description = describe(t, d, label, en);
        const title = t("charts.distribution", { category: label });
        const id = `distribution-${d.category}`;
        return (
          <Card
            key={d.category}
            className="section chart-card"
            title={<h2 className="card-title">{title}</h2>}
          >
            <ChartOrTable
              id={id}
              chart={
                <Chart option={options[i]!} label={title} describedBy={`${id}-description`} file={[file]} />
              }
              table={{ rows: d.units, columns, rowKey: "unit", title: [file, title] }}
              description={description}
            />
          </Card>
        );
      })}
    </>
  );
}
