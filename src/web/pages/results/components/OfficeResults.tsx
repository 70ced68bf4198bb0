import { Alert, Card, Empty, Select, Skeleton, Typography } from "antd";
import { lazy, Suspense } from "react";
import type { Plan, ScoringRun } from "../../../../engine/index.js";
import { planTitle } from "../../../components/export/title";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { formatTime } from "../../../components/time";
import { useLocale } from "../../../locales";
import { ordinal, usePublications } from "../../../services/publications";
import { useRun, useRuns } from "../../../services/runs";
import { ChartBoundary } from "../charts/ChartBoundary";
import { WhenNear } from "../charts/WhenNear";
import { categoryPeers } from "../explain/loss";
import { BY_CATEGORY_FROM, hasStandalone, STANDALONE, shownCategory } from "./by-category";
import { Ranking, type RankRow } from "./Ranking";
import { publicationStatus } from "./status";
import { UnitResultView } from "./UnitResultView";

// Its own chunk, loaded on the first click on a score.
const TraceDrawer = lazy(() => import("../explain/TraceDrawer"));
// The charts and ECharts with them: their own chunk, loaded once a run's ranking or unit is shown.
const DistributionCharts = lazy(() => import("../charts/DistributionCharts"));
const UnitCompareChart = lazy(() => import("../charts/UnitCompareChart"));
const HistoryCharts = lazy(() => import("../charts/HistoryCharts"));

/** A run's units in the published order: the plan's categories, then rank, then code. */
export function rankRows(plan: Plan | undefined, run: ScoringRun): RankRow[] {
  const order = new Map((plan?.categories ?? []).map((c, i) => [c.code, i]));
  const en = new Map((plan?.units ?? []).map((u) => [u.code, u.nameEn]));
  const catEn = new Map((plan?.categories ?? []).map((c) => [c.code, c.nameEn]));
  const position = (c: string | null) => (c === null ? order.size : (order.get(c) ?? order.size));
  return [...run.units]
    .sort(
      (a, b) =>
        position(a.category) - position(b.category) ||
        (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) ||
        a.unit.localeCompare(b.unit),
    )
    .map((u) => {
      const nameEn = en.get(u.unit);
      const categoryEn = u.category ? catEn.get(u.category) : undefined;
      return {
        unit: u.unit,
        name: u.name,
        ...(nameEn ? { nameEn } : {}),
        category: u.category,
        categoryName: u.categoryName,
        ...(categoryEn ? { categoryEn } : {}),
        total: u.total,
        rank: u.rank,
        grade: u.grade,
        titles: u.titles,
      };
    });
}

/**
 * The office and reviewers: any run of the plan (the office: any publication too), its ranking with each
 * total opening the unit's full trace (?explain=unit), and any unit's page (?unit=) with 失分分析.
 */
export function OfficeResults({
  planId,
  plan,
  params,
  choose,
  office,
  planPending,
  planUnits,
}: {
  planId: string;
  plan: Plan | undefined;
  /** The plan's document is still loading. */
  planPending: boolean;
  /** How many units the plans' list gives the plan (before its document is loaded). */
  planUnits: number | undefined;
  params: URLSearchParams;
  choose: (next: Record<string, string | undefined>) => void;
  /** The office reads publications too; a reviewer reads the runs only (runs.read). */
  office: boolean;
}) {
  const { t, lang } = useLocale();
  const runs = useRuns(planId);
  const publications = usePublications(planId, office);
  const pubs = publications.data?.items ?? [];
  const publicationId =
    params.get("publication") ??
    (params.get("run") ? undefined : pubs.find((p) => p.status !== "withdrawn")?.id);
  const publication = pubs.find((p) => p.id === publicationId);
  const runId =
    params.get("run") ?? publication?.runId ?? (publicationId ? undefined : runs.data?.items[0]?.id);
  const unit = params.get("unit");
  const category = shownCategory(plan, params.get("category"), unit);
  // Whether the run is read whole or by category depends on the plan: a plan the list shows to be
  // small is read whole at once, a larger one once its document (its categories) is known.
  const small = planUnits !== undefined && planUnits < BY_CATEGORY_FROM;
  const run = useRun(planId, runId, category, small || !planPending);

  const explained = params.get("explain");
  if (runs.isPending || (office && publications.isPending))
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (runs.isError || publications.isError)
    return <ProblemAlert error={runs.error ?? publications.error} title={t("error.load")} />;
  if (!runId)
    return (
      <Card>
        <Empty description={t("results.none")} />
      </Card>
    );
  const value = publicationId ? `publication:${publicationId}` : `run:${runId}`;
  const units = run.data?.result.units ?? [];
  const found = units.find((u) => u.unit === unit);
  return (
    <>
      <div className="picker-row">
        <label htmlFor="results-source">{t("results.source")}</label>
        <Select
          id="results-source"
          className="picker-select"
          value={value}
          onChange={(v: string) => {
            const [kind, id] = v.split(":");
            choose(
              kind === "run"
                ? { run: id, publication: undefined, unit: undefined, explain: undefined }
                : { publication: id, run: undefined, unit: undefined, explain: undefined },
            );
          }}
          options={[
            ...(office
              ? [
                  {
                    label: t("results.source.publications"),
                    options: pubs.map((p) => ({
                      value: `publication:${p.id}`,
                      label: t("results.source.publication", {
                        n: ordinal(pubs, p.id),
                        status: t(`plans.pubs.status.${p.status}`),
                        time: formatTime(lang, p.publishedAt),
                      }),
                    })),
                  },
                ]
              : []),
            {
              label: t("results.source.runs"),
              options: (runs.data?.items ?? []).map((r) => ({
                value: `run:${r.id}`,
                label: t("results.source.run", { time: formatTime(lang, r.createdAt) }),
              })),
            },
          ]}
        />
      </div>
      {category !== undefined && plan ? (
        <div className="picker-row">
          <label htmlFor="results-category">{t("results.category")}</label>
          <Select
            id="results-category"
            className="picker-select"
            value={category}
            onChange={(c: string) => choose({ category: c, unit: undefined, explain: undefined })}
            options={[
              ...(plan.categories ?? []).map((c) => ({
                value: c.code,
                label: lang === "en" && c.nameEn ? c.nameEn : c.name,
              })),
              ...(hasStandalone(plan) ? [{ value: STANDALONE, label: t("results.standalone") }] : []),
            ]}
          />
          <Typography.Text type="secondary">
            {t("results.category.hint", { units: plan.units.length, shown: run.data?.units.total ?? "…" })}
          </Typography.Text>
        </div>
      ) : null}
      {office ? (
        <Alert
          className="form-alert-top"
          type={publication?.status === "final" ? "success" : "info"}
          showIcon
          title={publication ? publicationStatus(t, lang, publication, pubs) : t("results.status.run")}
        />
      ) : null}
      {run.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : run.isError ? (
        <ProblemAlert error={run.error} title={t("error.load")} />
      ) : unit && found ? (
        <>
          <UnitResultView
            planId={planId}
            plan={plan}
            result={found}
            runId={runId}
            peers={categoryPeers(units, found)}
            source="run"
            onBack={() => choose({ unit: undefined })}
          />
          <WhenNear className="charts-slot">
            <ChartBoundary>
              <Suspense fallback={null}>
                <UnitCompareChart plan={plan} units={units} unit={found} />
                <HistoryCharts planId={planId} plan={plan} unit={found.unit} />
              </Suspense>
            </ChartBoundary>
          </WhenNear>
        </>
      ) : (
        <>
          <Ranking
            rows={rankRows(plan, run.data.result)}
            file={planTitle(plan, lang)}
            quotas={run.data.result.quotas}
            onOpen={(u) => choose({ unit: u, explain: undefined })}
            onExplain={(u) => choose({ explain: u })}
          />
          <WhenNear className="charts-slot">
            <ChartBoundary>
              <Suspense fallback={null}>
                <DistributionCharts plan={plan} run={run.data.result} />
                <HistoryCharts planId={planId} plan={plan} changes />
              </Suspense>
            </ChartBoundary>
          </WhenNear>
          {explained ? (
            <Suspense fallback={null}>
              <TraceDrawer
                planId={planId}
                runId={runId}
                plan={plan}
                result={units.find((u) => u.unit === explained)}
                onClose={() => choose({ explain: undefined })}
              />
            </Suspense>
          ) : null}
        </>
      )}
    </>
  );
}
