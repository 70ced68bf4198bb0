import { ArrowLeftOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, List, Statistic, Tag } from "antd";
import type { IndicatorSpec } from "../../../../engine/index.js";
import { ExportTable } from "../../../components/ExportTable";
import { planTitle } from "../../../components/export/title";
import { useLocale } from "../../../locales";
import { type ExplanationInputs, ExplanationSlot } from "./ExplanationSlot";

interface ScoreRow {
  code: string;
  name: string;
  points: number | undefined;
  score: number | undefined;
  children?: ScoreRow[];
}

const rowsOf = (nodes: IndicatorSpec[], scores: Record<string, number>, en: boolean): ScoreRow[] =>
  nodes.map((n) => ({
    code: n.code,
    name: en && n.nameEn ? n.nameEn : n.name,
    points: n.points,
    score: scores[n.code],
    ...(n.children?.length ? { children: rowsOf(n.children, scores, en) } : {}),
  }));

/** One unit's page: total, rank, grade and titles, its score per indicator (the plan's tree), the reasons. */
export function UnitResultView({
  planId,
  plan,
  result,
  runId,
  peers,
  source,
  onBack,
  title,
}: ExplanationInputs & {
  onBack?: () => void;
  title?: string;
}) {
  const { t, lang } = useLocale();
  const en = lang === "en";
  const rows = plan ? rowsOf(plan.indicators, result.scores, en) : [];
  const fmt = (n: number | undefined) => (n === undefined ? "—" : n.toFixed(2));
  return (
    <>
      {onBack ? (
        <Button type="link" className="link-button back-link" icon={<ArrowLeftOutlined />} onClick={onBack}>
          {t("results.back")}
        </Button>
      ) : null}
      <Card className="section" title={<h2 className="card-title">{title ?? result.name}</h2>}>
        <div className="unit-summary">
          <Statistic title={t("results.unit.total")} value={result.total} precision={2} />
          <Statistic
            title={t("results.unit.rank")}
            value={
              result.rank === null
                ? "—"
                : t("results.unit.rankOf", { rank: result.rank, of: result.rankOf ?? "—" })
            }
          />
          <Statistic title={t("results.unit.grade")} value={result.grade ?? "—"} />
          <Statistic title={t("results.unit.base")} value={result.base} precision={2} />
          <Statistic title={t("results.unit.bonus")} value={result.bonus} precision={2} />
          <Statistic title={t("results.unit.penalty")} value={result.penalty} precision={2} />
        </div>
        <Descriptions
          column={1}
          items={[
            {
              key: "titles",
              label: t("results.unit.titles"),
              children: result.titles.length
                ? result.titles.map((x) => (
                    <Tag key={x} color="red">
                      {x}
                    </Tag>
                  ))
                : t("results.none.short"),
            },
            ...(result.vetoes.length
              ? [{ key: "vetoes", label: t("results.unit.vetoes"), children: result.vetoes.join("、") }]
              : []),
          ]}
        />
        {result.missing.length ? (
          // An alert, not warning-coloured text: antd's warning colour on white is 2:1, under AA.
          <Alert
            type="warning"
            showIcon
            className="unit-missing"
            title={t("results.unit.missing", { codes: result.missing.join("、") })}
          />
        ) : null}
      </Card>
      <Card className="section" title={<h2 className="card-title">{t("results.unit.scores")}</h2>}>
        <ExportTable<ScoreRow>
          exportTitle={[planTitle(plan, lang), result.name, t("results.unit.scores")]}
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={rows}
          expandable={{ defaultExpandAllRows: true }}
          columns={[
            {
              title: t("results.unit.col.indicator"),
              key: "name",
              render: (_, r) => `${r.code} ${r.name}`,
            },
            {
              title: t("results.unit.col.points"),
              dataIndex: "points",
              align: "right",
              width: 100,
              render: (p: number | undefined) => p ?? "—",
            },
            {
              title: t("results.unit.col.score"),
              dataIndex: "score",
              align: "right",
              width: 100,
              render: fmt,
            },
          ]}
        />
      </Card>
      {result.adjustments.length || result.gradeReasons.length ? (
        <Card className="section">
          {result.adjustments.length ? (
            <List
              header={<h3 className="card-subtitle">{t("results.unit.adjustments")}</h3>}
              dataSource={result.adjustments}
              renderItem={(a) => <List.Item>{a.text[lang]}</List.Item>}
            />
          ) : null}
          {result.gradeReasons.length ? (
            <List
              header={<h3 className="card-subtitle">{t("results.unit.reasons")}</h3>}
              dataSource={result.gradeReasons}
              renderItem={(r) => <List.Item>{r[lang]}</List.Item>}
            />
          ) : null}
        </Card>
      ) : null}
      <div className="explanation-slot">
        <ExplanationSlot
          plan={plan}
          result={result}
          peers={peers}
          source={source}
          {...(planId ? { planId } : {})}
          {...(runId ? { runId } : {})}
        />
      </div>
    </>
  );
}
