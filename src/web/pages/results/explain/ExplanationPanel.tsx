import { Card, Empty, Skeleton } from "antd";
import type { ReactNode } from "react";
import type { NodeTrace, Plan, UnitResult } from "../../../../engine/index.js";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useLocale } from "../../../locales";
import { useExplanation } from "../../../services/runs";
import { LossAnalysis, type PeersSource } from "./LossAnalysis";
import type { Peer } from "./loss";
import { TraceTable } from "./TraceTable";
import "./explain.css";

/**
 * The unit page's explanation: its trace as a tree table and 失分分析. A publication's result carries its
 * trace; a run's is asked of the server (scored again from the frozen inputs) when `runId` is given.
 * Its own chunk, loaded with the unit's page.
 */
export default function ExplanationPanel({
  planId,
  runId,
  plan,
  result,
  peers,
  source,
}: {
  planId: string | undefined;
  runId: string | undefined;
  plan: Plan | undefined;
  result: UnitResult;
  peers: Peer[] | null;
  source: PeersSource;
}) {
  const { t } = useLocale();
  const own = result.trace.length > 0;
  const explanation = useExplanation(planId, own ? undefined : runId, result.unit);
  const trace: NodeTrace[] | undefined = own ? result.trace : explanation.data?.trace;
  const body = (node: (trace: NodeTrace[]) => ReactNode) =>
    trace ? (
      trace.length ? (
        node(trace)
      ) : (
        <Empty description={t("explain.empty")} />
      )
    ) : explanation.isError ? (
      <ProblemAlert error={explanation.error} title={t("error.load")} />
    ) : !runId ? (
      <Empty description={t("explain.empty")} />
    ) : (
      <Skeleton active aria-label={t("explain.loading")} />
    );
  return (
    <>
      <Card className="section" title={<h2 className="card-title">{t("loss.title")}</h2>}>
        {body((tr) => (
          <LossAnalysis plan={plan} result={result} trace={tr} peers={peers} source={source} />
        ))}
      </Card>
      <Card className="section" title={<h2 className="card-title">{t("explain.trace")}</h2>}>
        {body((tr) => (
          <TraceTable plan={plan} trace={tr} />
        ))}
      </Card>
    </>
  );
}
