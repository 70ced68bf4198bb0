import { Alert, Card, Empty, Select, Skeleton } from "antd";
import { lazy, Suspense } from "react";
import type { Plan } from "../../../../engine/index.js";
import { planTitle } from "../../../components/export/title";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { formatTime } from "../../../components/time";
import { useLocale } from "../../../locales";
import {
  ordinal,
  usePublicPublications,
  usePublicResults,
  useUnitResult,
} from "../../../services/publications";
import { ChartBoundary } from "../charts/ChartBoundary";
import { WhenNear } from "../charts/WhenNear";
import type { Peer } from "../explain/loss";
import { Ranking, type RankRow } from "./Ranking";
import { publicationStatus } from "./status";
import { UnitResultView } from "./UnitResultView";

// The history's charts and ECharts with them: their own chunk, loaded once the unit's results are shown.
const HistoryCharts = lazy(() => import("../charts/HistoryCharts"));

/** A unit's people: their own unit's published results (scores, rank, grade), and the ranking as published. */
export function UnitResults({
  planId,
  plan,
  unit,
  publicationId: chosen,
  choose,
}: {
  planId: string;
  plan: Plan | undefined;
  unit: string;
  publicationId: string | undefined;
  choose: (next: Record<string, string | undefined>) => void;
}) {
  const { t, lang } = useLocale();
  const history = usePublicPublications(planId);
  const pubs = history.data?.items ?? [];
  const publicationId = chosen ?? pubs.find((p) => p.status !== "withdrawn")?.id;
  const own = useUnitResult(planId, publicationId, unit);
  const published = usePublicResults(planId, publicationId);
  if (history.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (history.isError) return <ProblemAlert error={history.error} title={t("error.load")} />;
  if (!publicationId)
    return (
      <Card>
        <Empty description={t("results.notPublished")} />
      </Card>
    );
  const publication = pubs.find((p) => p.id === publicationId);
  const rows = (published.data?.units ?? []) as unknown as (RankRow & { scores?: Record<string, number> })[];
  return (
    <>
      <div className="picker-row">
        <label htmlFor="results-source">{t("results.source")}</label>
        <Select
          id="results-source"
          className="picker-select"
          value={publicationId}
          onChange={(id: string) => choose({ publication: id })}
          options={pubs.map((p) => ({
            value: p.id,
            label: t("results.source.publication", {
              n: ordinal(pubs, p.id),
              status: t(`plans.pubs.status.${p.status}`),
              time: formatTime(lang, p.publishedAt),
            }),
          }))}
        />
      </div>
      {publication ? (
        <Alert
          className="form-alert-top"
          type={publication.status === "final" ? "success" : "info"}
          showIcon
          title={publicationStatus(t, lang, publication, pubs)}
        />
      ) : null}
      {own.isPending ? (
        <Card className="section">
          <Skeleton active />
        </Card>
      ) : own.isError ? (
        <ProblemAlert error={own.error} title={t("error.load")} />
      ) : (
        <UnitResultView
          plan={plan}
          result={own.data.result}
          peers={publishedPeers(rows, own.data.result.categoryName)}
          source="published"
          title={`${t("results.own")} · ${own.data.result.name}`}
        />
      )}
      <WhenNear className="charts-slot">
        <ChartBoundary>
          <Suspense fallback={null}>
            <HistoryCharts planId={planId} plan={plan} unit={unit} />
          </Suspense>
        </ChartBoundary>
      </WhenNear>
      {published.isPending ? (
        <Skeleton active />
      ) : published.isError ? (
        <ProblemAlert error={published.error} title={t("error.load")} />
      ) : (
        <Ranking
          rows={rows.map((r) => ({ ...r, categoryName: r.category, category: null }))}
          file={planTitle(plan, lang)}
        />
      )}
    </>
  );
}

/**
 * The units of a category as a publication shows them, for 失分分析's best: only where the plan publishes
 * the scores per indicator (publication.show "scores"), else null (full marks only).
 */
export function publishedPeers(
  rows: readonly (RankRow & { scores?: Record<string, number> })[],
  categoryName: string | null,
): Peer[] | null {
  if (categoryName === null || !rows.some((r) => r.scores)) return null;
  return rows
    .filter((r) => r.category === categoryName && r.scores)
    .map((r) => ({
      unit: r.unit,
      name: r.name,
      scores: r.scores!,
      ...(typeof r.total === "number" ? { total: r.total } : {}),
    }));
}
