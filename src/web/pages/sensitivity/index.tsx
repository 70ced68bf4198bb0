import { ExperimentOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Empty,
  InputNumber,
  Progress,
  Skeleton,
  Space,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useSearchParams } from "react-router";
import type { Plan, SensitivityResult, UnitSensitivity } from "../../../engine/index.js";
import { usePlanChoice } from "../../components/PlanSelect";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useRunChoice } from "../../components/RunSelect";
import { type Lang, useLocale } from "../../locales";
import { usePlan, usePlans } from "../../services/plans";
import { useJob, useRun, useRuns } from "../../services/runs";
import { useStartSensitivity } from "../../services/sensitivity";
import { RankIntervals } from "./RankIntervals";
import { STABLE, unstableUnits } from "./stability";
import "./sensitivity.css";
import { ExportTable } from "../../components/ExportTable";

/**
 * 稳定性分析 (the office): the Monte Carlo sensitivity analysis of a run as a background job with its
 * progress; then per unit its nominal rank and 5-95% interval (a chart with a table view), each grade's
 * probability (等次稳定性) with a warning where the grade is unstable, and which assumptions move the
 * ranks most (first-order and total indices). The job's id lives in the address, so a reload keeps it.
 */
export default function SensitivityPage() {
  const { t, lang } = useLocale();
  const plans = usePlans();
  const { planId, picker } = usePlanChoice(plans.data?.items ?? [], t("results.plan"), "sensitivity-plan", {
    inForce: true,
  });
  const runs = useRuns(planId);
  const items = runs.data?.items ?? [];
  const [params, setParams] = useSearchParams();
  const jobId = params.get("job") ?? undefined;
  const setJob = (id: string | null) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (id) next.set("job", id);
      else next.delete("job");
      return next;
    });
  const { runId, picker: runPicker } = useRunChoice(items, t("sensitivity.run"), "sensitivity-run", () =>
    setJob(null),
  );
  const run = useRun(planId, runId);
  const start = useStartSensitivity(planId, runId);
  const job = useJob(jobId, planId ?? "");
  const [replications, setReplications] = useState(500);
  const [noise, setNoise] = useState(25);
  const [drop, setDrop] = useState(true);
  const running = start.isPending || job.data?.status === "queued" || job.data?.status === "running";
  const status = job.data?.status;
  const result = status === "done" ? (job.data?.result as SensitivityResult) : undefined;
  const plan = usePlan(planId).data?.document as Plan | undefined;

  return (
    <div className="page sensitivity">
      <Typography.Title level={2}>{t("sensitivity.title")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("sensitivity.intro")}</Typography.Paragraph>
      {picker}
      {plans.isPending || runs.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : plans.isError || runs.isError ? (
        <ProblemAlert error={plans.error ?? runs.error} title={t("error.load")} />
      ) : !planId || items.length === 0 ? (
        <Card>
          <Empty description={t("sensitivity.noRuns")} />
        </Card>
      ) : (
        <>
          {runPicker}
          <Card title={<h3 className="card-title">{t("sensitivity.settings")}</h3>}>
            <Space wrap size="large" align="center">
              <span>
                <label htmlFor="sensitivity-runs">{t("sensitivity.replications")}</label>{" "}
                <InputNumber
                  id="sensitivity-runs"
                  min={2}
                  max={100000}
                  value={replications}
                  onChange={(v) => setReplications(v ?? 500)}
                />
              </span>
              <span>
                <label htmlFor="sensitivity-noise">{t("sensitivity.noise")}</label>{" "}
                <InputNumber
                  id="sensitivity-noise"
                  min={0}
                  max={99}
                  suffix="%"
                  value={noise}
                  onChange={(v) => setNoise(v ?? 0)}
                />
              </span>
              <Checkbox checked={drop} onChange={(e) => setDrop(e.target.checked)}>
                {t("sensitivity.drop")}
              </Checkbox>
              <Button
                type="primary"
                icon={<ExperimentOutlined />}
                loading={running}
                disabled={running || !runId}
                onClick={() =>
                  start.mutate(
                    { runs: replications, weights: noise / 100, drop },
                    { onSuccess: (j) => setJob(j.id) },
                  )
                }
              >
                {t("sensitivity.start")}
              </Button>
            </Space>
            <ProblemAlert
              className="section"
              error={start.error ?? job.error}
              title={t("sensitivity.failed")}
            />
            {job.data ? (
              <div className="job-progress section" aria-live="polite">
                <Typography.Text>{t(`sensitivity.status.${job.data.status}`)}</Typography.Text>
                <Progress
                  percent={Math.round(100 * (status === "done" ? 1 : job.data.progress))}
                  status={status === "failed" ? "exception" : status === "done" ? "success" : "active"}
                  aria-label={t("sensitivity.progress")}
                />
                {status === "failed" ? <ProblemAlert error={new Error(job.data.error ?? "")} /> : null}
              </div>
            ) : null}
          </Card>
          {result && run.data ? (
            <Outcome
              result={result}
              names={unitNames(run.data.result.units, plan, lang)}
              categoryOf={(code) => {
                const c = plan?.categories?.find((x) => x.code === code);
                return (lang === "en" ? c?.nameEn : undefined) ?? c?.name ?? code ?? t("simulate.standalone");
              }}
              lang={lang}
            />
          ) : !job.data ? (
            <Alert className="section" type="info" showIcon title={t("sensitivity.hint")} />
          ) : null}
        </>
      )}
    </div>
  );
}

function unitNames(
  units: readonly { unit: string; name: string; categoryName: string | null }[],
  plan: Plan | undefined,
  lang: Lang,
): Map<string, { name: string; category: string | null }> {
  return new Map(
    units.map((u) => [
      u.unit,
      {
        name: (lang === "en" ? plan?.units.find((x) => x.code === u.unit)?.nameEn : undefined) ?? u.name,
        category: u.categoryName,
      },
    ]),
  );
}

const pct = (p: number) => `${Math.round(p * 1000) / 10}%`;

function Outcome({
  result,
  names,
  categoryOf,
  lang,
}: {
  result: SensitivityResult;
  names: Map<string, { name: string; category: string | null }>;
  categoryOf: (category: string | null) => string;
  lang: Lang;
}) {
  const { t } = useLocale();
  const [view, setView] = useState<"chart" | "table">("chart");
  const unstable = unstableUnits(result);
  const nameOf = (u: string) => names.get(u)?.name ?? u;
  return (
    <>
      <Card
        className="section"
        title={<h3 className="card-title">{t("sensitivity.stability")}</h3>}
        extra={
          <span className="card-hint">
            {t("sensitivity.evaluations", { n: result.evaluations.toLocaleString(lang) })}
          </span>
        }
      >
        {unstable.length === 0 ? (
          <Alert type="success" showIcon title={t("sensitivity.allStable", { p: pct(STABLE) })} />
        ) : (
          <Alert
            type="warning"
            showIcon
            title={t("sensitivity.unstable", { n: unstable.length, p: pct(STABLE) })}
            description={
              <ul className="sensitivity-unstable">
                {unstable.map((u) => (
                  <li key={u.unit}>
                    {t("sensitivity.unstableUnit", {
                      unit: nameOf(u.unit),
                      grade: u.nominalGrade ?? "—",
                      p: pct(u.gradeProbability[u.nominalGrade ?? ""] ?? 0),
                    })}
                  </li>
                ))}
              </ul>
            }
          />
        )}
      </Card>
      <Card
        className="section"
        title={<h3 className="card-title">{t("sensitivity.ranks")}</h3>}
        extra={
          <Space size={0}>
            <Button type={view === "chart" ? "primary" : "default"} onClick={() => setView("chart")}>
              {t("sensitivity.chart")}
            </Button>
            <Button type={view === "table" ? "primary" : "default"} onClick={() => setView("table")}>
              {t("sensitivity.table")}
            </Button>
          </Space>
        }
      >
        {view === "chart" ? (
          <RankIntervals units={result.units} nameOf={nameOf} categoryOf={categoryOf} />
        ) : (
          <div className="table-scroll">
            <ExportTable<UnitSensitivity>
              exportTitle={[t("sensitivity.title"), t("sensitivity.ranks")]}
              className="sensitivity-table"
              rowKey="unit"
              size="small"
              pagination={false}
              dataSource={result.units}
              rowClassName={(u) => (unstable.some((x) => x.unit === u.unit) ? "sensitivity-warn" : "")}
              columns={[
                { title: t("sensitivity.col.unit"), key: "unit", render: (_, u) => nameOf(u.unit) },
                {
                  title: t("sensitivity.col.category"),
                  key: "category",
                  render: (_, u) => names.get(u.unit)?.category ?? t("simulate.standalone"),
                },
                { title: t("sensitivity.col.nominal"), key: "n", render: (_, u) => u.nominalRank ?? "—" },
                { title: t("sensitivity.col.median"), key: "m", render: (_, u) => u.medianRank ?? "—" },
                {
                  title: t("sensitivity.col.interval"),
                  key: "i",
                  render: (_, u) => (u.p5Rank === null ? "—" : `${u.p5Rank}–${u.p95Rank}`),
                },
                {
                  title: t("sensitivity.col.grade"),
                  key: "g",
                  render: (_, u) => u.nominalGrade ?? "—",
                },
                {
                  title: t("sensitivity.col.probabilities"),
                  key: "p",
                  render: (_, u) =>
                    Object.entries(u.gradeProbability)
                      .filter(([, p]) => p > 0)
                      .sort((a, b) => b[1] - a[1])
                      .map(([g, p]) => (
                        <Tag key={g} color={g === u.nominalGrade ? "blue" : undefined}>
                          {g} {pct(p)}
                        </Tag>
                      )),
                },
              ]}
            />
          </div>
        )}
      </Card>
      <Card className="section" title={<h3 className="card-title">{t("sensitivity.indices")}</h3>}>
        <Typography.Paragraph type="secondary">{t("sensitivity.indicesHint")}</Typography.Paragraph>
        {result.indices.length === 0 ? (
          <Empty description={t("sensitivity.noIndices")} />
        ) : (
          <ExportTable
            exportTitle={[t("sensitivity.title"), t("sensitivity.indices")]}
            rowKey="input"
            size="small"
            pagination={false}
            dataSource={result.indices}
            columns={[
              {
                title: t("sensitivity.col.input"),
                key: "input",
                render: (_, r) => t(`sensitivity.input.${r.input}`),
              },
              {
                title: t("sensitivity.col.first"),
                key: "first",
                render: (_, r) => <IndexBar value={r.firstOrder} />,
              },
              {
                title: t("sensitivity.col.total"),
                key: "total",
                render: (_, r) => <IndexBar value={r.total} />,
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}

/** An index (0-1) as a number with a short bar beside it (the number is what is read). */
function IndexBar({ value }: { value: number }) {
  const shown = Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
  return (
    <span className="sensitivity-index">
      <svg width="120" height="10" aria-hidden="true" focusable="false">
        <rect width="120" height="10" rx="2" className="sensitivity-index-track" />
        <rect width={120 * shown} height="10" rx="2" className="sensitivity-index-fill" />
      </svg>
      {Number.isFinite(value) ? value.toFixed(3) : "—"}
    </span>
  );
}
