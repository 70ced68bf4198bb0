import { Alert, Card, Empty, Skeleton, Typography } from "antd";
import { useSearchParams } from "react-router";
import type { Plan } from "../../../../engine/index.js";
import { can } from "../../../access";
import { usePlanChoice } from "../../../components/PlanSelect";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useLocale } from "../../../locales";
import { useSession } from "../../../services/auth";
import { usePlan, usePlans } from "../../../services/plans";
import { usePublications } from "../../../services/publications";
import { useRunDiff, useRuns } from "../../../services/runs";
import { RunDiffView } from "./RunDiffView";
import { RunList } from "./RunList";
import "./runs.css";

/**
 * Run history and diffs (the office and reviewers): a plan's runs with their input hashes, plan versions,
 * times and status; any two chosen (?from=…&to=…, so a diff can be linked to) show what changed in their
 * inputs and which totals, ranks and grades moved, each moved unit linked to its trace in the later run.
 * By default the newest run against the one before it.
 */
export default function RunsPage() {
  const { t } = useLocale();
  const session = useSession();
  const plans = usePlans();
  const { planId, picker } = usePlanChoice(plans.data?.items ?? [], t("results.plan"), "runs-plan", {
    inForce: true,
  });
  const office = session.data?.user ? can(session.data.user.roles, "publications.read") : false;
  const plan = usePlan(planId);
  const runs = useRuns(planId);
  const publications = usePublications(planId, office);
  const [params, setParams] = useSearchParams();
  const items = runs.data?.items ?? [];
  const from = params.get("from") ?? items[1]?.id;
  const to = params.get("to") ?? items[0]?.id;
  const diff = useRunDiff(planId, from, to);
  const choose = (key: "from" | "to", id: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.set("from", from ?? id);
      next.set("to", to ?? id);
      next.set(key, id);
      return next;
    });

  const document = plan.data?.document as Plan | undefined;
  return (
    <div className="page">
      <Typography.Title level={2}>{t("runs.title")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("runs.intro")}</Typography.Paragraph>
      {picker}
      {plans.isPending || runs.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : plans.isError || runs.isError ? (
        <ProblemAlert error={plans.error ?? runs.error} title={t("error.load")} />
      ) : items.length === 0 || !planId ? (
        <Card>
          <Empty description={t("runs.none")} />
        </Card>
      ) : (
        <>
          <RunList
            runs={items}
            publications={office ? (publications.data?.items ?? []) : null}
            from={from}
            to={to}
            onChoose={choose}
          />
          {!from || !to || from === to ? (
            <Alert className="section" type="info" showIcon title={t("runs.pickTwo")} />
          ) : diff.isPending ? (
            <Card className="section">
              <Skeleton active />
            </Card>
          ) : diff.isError ? (
            <ProblemAlert error={diff.error} title={t("error.load")} />
          ) : (
            <RunDiffView planId={planId} plan={document} runs={items} diff={diff.data} />
          )}
        </>
      )}
    </div>
  );
}
