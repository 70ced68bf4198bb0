import { Alert, Card, Skeleton } from "antd";
import { useMemo } from "react";
import type { Plan } from "../../../../engine/index.js";
import type { PlanHistory } from "../../../../server/modules/runs/schema.js";
import type { ExportColumns } from "../../../components/ExportButton";
import { planTitle } from "../../../components/export/title";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useLocale } from "../../../locales";
import { usePlanHistory } from "../../../services/runs";
import { Chart } from "./Chart";
import { ChartOrTable } from "./ChartOrTable";
import { pts } from "./data";
import type { ChartOption } from "./echarts";
import { changeYears, type RankChange, rankChanges, type TrendRow } from "./history";
import "./charts.css";

type T = ReturnType<typeof useLocale>["t"];

const GAIN = "#237804";
const LOSS = "#a8071a";
const SAME = "#8c8c8c";

/**
 * 历年结果: the plan's series across years (GET /plans/:planId/history), as a unit's trend (`unit`) and
 * the 进位 chart of the plan's year against the year before (`changes`). Where the series has results
 * of one year only, a note says so instead of an empty chart.
 */
export default function HistoryCharts({
  planId,
  plan,
  unit,
  changes = false,
}: {
  planId: string;
  plan: Plan | undefined;
  /** Whose trend to draw (none: no trend chart). */
  unit?: string | undefined;
  /** Whether to draw the 进位 chart of the plan's year. */
  changes?: boolean;
}) {
  const { t } = useLocale();
  const history = usePlanHistory(planId);
  if (history.isPending)
    return (
      <Card className="section">
        <Skeleton active />
      </Card>
    );
  if (history.isError) return <ProblemAlert error={history.error} title={t("error.load")} />;
  const h = history.data;
  if (h.years.length < 2)
    return (
      <Alert
        className="section history-note"
        type="info"
        showIcon
        title={
          h.years.length === 0
            ? t("charts.history.none")
            : t("charts.history.one", { year: h.years[0]!.period })
        }
      />
    );
  const period = plan?.period.key;
  const years = period ? changeYears(h, period) : undefined;
  return (
    <>
      {unit ? <TrendChart history={h} plan={plan} unit={unit} /> : null}
      {changes && period ? (
        years ? (
          <RankChangeChart history={h} plan={plan} from={years.from} to={years.to} />
        ) : (
          <Alert
            className="section history-note"
            type="info"
            showIcon
            title={t("charts.history.first", { year: period })}
          />
        )
      ) : null}
    </>
  );
}

const unitName = (plan: Plan | undefined, code: string, name: string, en: boolean) =>
  (en ? plan?.units.find((u) => u.code === code)?.nameEn : undefined) ?? name;

/** A unit's category as the interface names it: the plan's English name where it has one. */
const categoryOf = (
  plan: Plan | undefined,
  r: { category: string | null; categoryName: string | null },
  en: boolean,
) => (en ? plan?.categories?.find((c) => c.code === r.category)?.nameEn : undefined) ?? r.categoryName;

/** A unit as the 进位 chart names it, noting a change of category (its two ranks are of two lists). */
const changeLabel = (t: T, plan: Plan | undefined, r: RankChange, en: boolean) =>
  `${unitName(plan, r.unit, r.name, en)}${r.movedCategory ? t("charts.changes.moved") : ""}`;

const rankText = (t: T, r: TrendRow) =>
  r.rank === null ? "—" : t("charts.trend.rankOf", { rank: r.rank, of: r.rankOf ?? "—" });

/** A unit's total (bars) and rank within its category (a line on an inverted axis) in each year. */
function TrendChart({ history, plan, unit }: { history: PlanHistory; plan: Plan | undefined; unit: string }) {
  const { t, lang } = useLocale();
  const en = lang === "en";
  const found = useMemo(() => history.items.find((u) => u.unit === unit), [history, unit]);
  const rows = useMemo<TrendRow[]>(() => found?.years ?? [], [found]);
  const name = unitName(plan, unit, found?.name ?? unit, en);
  const title = t("charts.trend", { unit: name });
  const option = useMemo<ChartOption>(() => {
    const worst = Math.max(1, ...rows.map((r) => r.rankOf ?? r.rank ?? 1));
    return {
      animation: false,
      grid: { left: 56, right: 56, top: 48, bottom: 32 },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: rows.map((r) => r.period) },
      yAxis: [
        { type: "value", min: 0, name: t("charts.total") },
        // Rank 1 at the top: a line going up is a unit moving up.
        { type: "value", inverse: true, min: 1, max: worst, minInterval: 1, name: t("charts.series.rank") },
      ],
      series: [
        {
          type: "bar",
          name: t("charts.total"),
          yAxisIndex: 0,
          barMaxWidth: 48,
          itemStyle: { color: "#1d4e89" },
          label: {
            show: true,
            position: "insideTop",
            color: "#fff",
            formatter: ({ value }) => pts(Number(value)),
          },
          data: rows.map((r) => Math.round(r.total * 100) / 100),
        },
        {
          type: "line",
          name: t("charts.series.rank"),
          yAxisIndex: 1,
          itemStyle: { color: "#ad6800" },
          symbolSize: 8,
          // Beside the point on a white badge: the point often sits at a bar's top, where the bar's
          // own total is written.
          label: {
            show: true,
            position: "right",
            distance: 8,
            color: "#ad6800",
            backgroundColor: "#fff",
            borderColor: "#ad6800",
            borderWidth: 1,
            borderRadius: 2,
            padding: [1, 4],
            formatter: ({ value }) => String(value ?? "—"),
          },
          data: rows.map((r) => r.rank),
        },
      ],
    };
  }, [rows, t]);
  const description = t("charts.trend.desc", {
    unit: name,
    items: rows
      .map((r) =>
        t("charts.trend.item", {
          year: r.period,
          total: pts(r.total),
          rank: rankText(t, r),
          grade: r.grade ?? "—",
        }),
      )
      .join(t("charts.separator")),
  });
  const file = planTitle(plan, lang);
  const id = `trend-${unit}`;
  const columns: ExportColumns<TrendRow> = [
    { key: "period", title: t("charts.col.year"), render: (_, r) => r.period, export: (r) => r.period },
    {
      key: "category",
      title: t("charts.col.category"),
      render: (_, r) => categoryOf(plan, r, en) ?? "—",
      export: (r) => categoryOf(plan, r, en),
    },
    {
      key: "total",
      title: t("charts.col.total"),
      align: "right",
      render: (_, r) => pts(r.total),
      export: { value: (r) => r.total, kind: "number", decimals: 2 },
    },
    {
      key: "rank",
      title: t("charts.col.rank"),
      align: "right",
      render: (_, r) => rankText(t, r),
      export: (r) => r.rank,
    },
    { key: "grade", title: t("charts.col.grade"), render: (_, r) => r.grade ?? "—", export: (r) => r.grade },
  ];
  return (
    <Card className="section chart-card" title={<h2 className="card-title">{title}</h2>}>
      <ChartOrTable
        id={id}
        chart={<Chart option={option} label={title} describedBy={`${id}-description`} file={[file, name]} />}
        table={{ rows: rows, columns, rowKey: "period", title: [file, name, title] }}
        description={description}
      />
    </Card>
  );
}

/** 进位: each unit's places gained within its category from one year to the next, most gained first. */
function RankChangeChart({
  history,
  plan,
  from,
  to,
}: {
  history: PlanHistory;
  plan: Plan | undefined;
  from: string;
  to: string;
}) {
  const { t, lang } = useLocale();
  const en = lang === "en";
  const rows = useMemo(() => rankChanges(history, from, to), [history, from, to]);
  const label = (r: RankChange) => changeLabel(t, plan, r, en);
  const title = t("charts.changes", { from, to });
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      grid: { left: 8, right: 40, top: 16, bottom: 40, containLabel: true },
      tooltip: { trigger: "axis" },
      // Most places gained at the top.
      yAxis: {
        type: "category",
        inverse: true,
        data: rows.map((r) => changeLabel(t, plan, r, en)),
        axisLabel: { interval: 0 },
      },
      // The axis's name centred under it: at its end a long (English) name would be cut off.
      xAxis: {
        type: "value",
        minInterval: 1,
        name: t("charts.col.change"),
        nameLocation: "middle",
        nameGap: 28,
      },
      series: [
        {
          type: "bar",
          name: t("charts.col.change"),
          barMaxWidth: 16,
          label: {
            show: true,
            position: "right",
            formatter: ({ value }) => (Number(value) > 0 ? `+${value}` : String(value)),
          },
          data: rows.map((r) => ({
            value: r.change,
            itemStyle: { color: r.change > 0 ? GAIN : r.change < 0 ? LOSS : SAME },
          })),
        },
      ],
    }),
    [rows, t, en, plan],
  );
  const top = rows[0]?.change ?? 0;
  const best = rows.filter((r) => r.change === top && top > 0);
  const description = t("charts.changes.desc", {
    from,
    to,
    n: rows.length,
    up: rows.filter((r) => r.change > 0).length,
    down: rows.filter((r) => r.change < 0).length,
    same: rows.filter((r) => r.change === 0).length,
    best: best.length
      ? t("charts.changes.best", {
          units: best.map((r) => unitName(plan, r.unit, r.name, en)).join(t("charts.separator")),
          places: top,
        })
      : "",
  });
  const file = planTitle(plan, lang);
  const id = `changes-${from}-${to}`;
  const columns: ExportColumns<RankChange> = [
    { key: "unit", title: t("charts.col.unit"), render: (_, r) => label(r), export: label },
    {
      key: "category",
      title: t("charts.col.category"),
      render: (_, r) => categoryOf(plan, r, en) ?? "—",
      export: (r) => categoryOf(plan, r, en),
    },
    {
      key: "before",
      title: t("charts.col.before", { year: from }),
      align: "right",
      render: (_, r) => r.before,
      export: { value: (r) => r.before, kind: "number", decimals: 0 },
    },
    {
      key: "after",
      title: t("charts.col.after", { year: to }),
      align: "right",
      render: (_, r) => r.after,
      export: { value: (r) => r.after, kind: "number", decimals: 0 },
    },
    {
      key: "change",
      title: t("charts.col.change"),
      align: "right",
      render: (_, r) => (r.change > 0 ? `+${r.change}` : String(r.change)),
      export: { value: (r) => r.change, kind: "number", decimals: 0 },
    },
  ];
  return (
    <Card className="section chart-card" title={<h2 className="card-title">{title}</h2>}>
      <ChartOrTable
        id={id}
        chart={
          <Chart
            option={option}
            label={title}
            describedBy={`${id}-description`}
            file={[file]}
            height={Math.max(200, rows.length * 24 + 48)}
          />
        }
        table={{ rows: rows, columns, rowKey: "unit", title: [file, title] }}
        description={description}
      />
    </Card>
  );
}
