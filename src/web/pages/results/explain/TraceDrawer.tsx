import { Drawer, Empty, Skeleton } from "antd";
import type { Plan, UnitResult } from "../../../../engine/index.js";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useLocale } from "../../../locales";
import { useExplanation } from "../../../services/runs";
import { TraceTable } from "./TraceTable";
import { UnitReasons } from "./UnitReasons";
import "./explain.css";

/**
 * A unit's full trace over the ranking, opened from its total (the office and reviewers): how the total
 * and grade came about, then every indicator's rule, inputs and arithmetic, scored again by the server
 * from the run's frozen inputs. Its own chunk: the ranking loads it on the first click.
 */
export default function TraceDrawer({
  planId,
  runId,
  plan,
  result,
  onClose,
}: {
  planId: string;
  runId: string;
  plan: Plan | undefined;
  result: UnitResult | undefined;
  onClose: () => void;
}) {
  const { t, lang } = useLocale();
  const explanation = useExplanation(planId, runId, result?.unit);
  const name = result ? unitName(plan, result, lang) : "";
  return (
    <Drawer
      open={Boolean(result)}
      onClose={onClose}
      size="min(1100px, 92vw)"
      title={<h2 className="card-title">{t("explain.title", { unit: name })}</h2>}
      closable={{ "aria-label": t("explain.close") }}
      destroyOnHidden
    >
      {result ? <UnitReasons plan={plan} result={result} /> : null}
      <h3 className="card-subtitle trace-heading">{t("explain.trace")}</h3>
      {explanation.isPending ? (
        <Skeleton active aria-label={t("explain.loading")} />
      ) : explanation.isError ? (
        <ProblemAlert error={explanation.error} title={t("error.load")} />
      ) : explanation.data.trace.length === 0 ? (
        <Empty description={t("explain.empty")} />
      ) : (
        <TraceTable plan={plan} trace={explanation.data.trace} />
      )}
    </Drawer>
  );
}

/** The unit's name in the interface language (the plan's English name where it has one). */
export function unitName(plan: Plan | undefined, result: Pick<UnitResult, "unit" | "name">, lang: string) {
  const en = lang === "en" ? plan?.units.find((u) => u.code === result.unit)?.nameEn : undefined;
  return en ?? result.name;
}
