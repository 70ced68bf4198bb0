import { Card, Skeleton } from "antd";
import { lazy, Suspense } from "react";
import type { Plan, UnitResult } from "../../../../engine/index.js";
import type { PeersSource } from "../explain/LossAnalysis";
import type { Peer } from "../explain/loss";

/** What a unit's explanation is made from: its result, where its trace comes from, the peers for 失分分析. */
export interface ExplanationInputs {
  planId?: string;
  plan: Plan | undefined;
  result: UnitResult;
  runId?: string;
  /** The units of its category whose numbers the viewer may read (失分分析's best), or null. */
  peers: Peer[] | null;
  source: PeersSource;
}

// Its own chunk: the trace's tree and 失分分析 load with a unit's page, not with the ranking.
const ExplanationPanel = lazy(() => import("../explain/ExplanationPanel"));

/**
 * A unit's explanation on its page: the trace (a publication's in `result.trace`; a run's from
 * GET …/runs/:runId/units/:unit/explanation, as runs no longer store them) and 失分分析 against full
 * marks and the category's best, from the `peers` the viewer may read. Run diffs, charts and what-if
 * (the analysis issue) are to come here too.
 */
export function ExplanationSlot(props: ExplanationInputs) {
  return (
    <Suspense
      fallback={
        <Card className="section">
          <Skeleton active />
        </Card>
      }
    >
      <ExplanationPanel {...props} planId={props.planId} runId={props.runId} />
    </Suspense>
  );
}
