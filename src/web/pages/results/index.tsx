import { Card, Empty, Select, Skeleton, Typography } from "antd";
import { useSearchParams } from "react-router";
import type { Plan } from "../../../engine/index.js";
import { can } from "../../access";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useLocale } from "../../locales";
import { useSession } from "../../services/auth";
import { usePlan, usePlans } from "../../services/plans";
import { OfficeResults } from "./components/OfficeResults";
import { UnitResults } from "./components/UnitResults";

/**
 * Results: the office reads any run or publication, ranked per category, and opens any unit's page and
 * trace; reviewers the same of the runs (runs.read); a unit's people read their own unit's published
 * results with its trace and the ranking as published. The choice
 * lives in the address (?plan=…&publication=…|run=…&unit=…), so a view can be linked to.
 */
export default function ResultsPage() {
  const { t } = useLocale();
  const session = useSession();
  const plans = usePlans();
  const [params, setParams] = useSearchParams();
  const user = session.data?.user;
  const office = user ? can(user.roles, "publications.read") : false;
  const allUnits = user ? can(user.roles, "runs.read") : false;
  const items = (plans.data?.items ?? []).filter((p) => office || p.status !== "draft");
  const planId = params.get("plan") ?? items.find((p) => p.status !== "draft")?.planId ?? items[0]?.planId;
  const plan = usePlan(planId);
  const document = plan.data?.document as Plan | undefined;
  const choose = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined) merged.delete(k);
      else merged.set(k, v);
    }
    setParams(merged);
  };

  return (
    <div className="page">
      <Typography.Title level={2}>{t("results.title")}</Typography.Title>
      {plans.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : plans.isError ? (
        <ProblemAlert error={plans.error} title={t("error.load")} />
      ) : items.length === 0 || !planId ? (
        <Card>
          <Empty description={t("results.noPlans")} />
        </Card>
      ) : (
        <>
          <div className="picker-row">
            <label htmlFor="results-plan">{t("results.plan")}</label>
            <Select
              id="results-plan"
              className="picker-select"
              value={planId}
              onChange={(p) => setParams(new URLSearchParams({ plan: p }))}
              options={items.map((p) => ({ value: p.planId, label: `${p.name}（v${p.version}）` }))}
            />
          </div>
          {allUnits ? (
            <OfficeResults
              planId={planId}
              plan={document}
              planPending={plan.isPending}
              planUnits={items.find((p) => p.planId === planId)?.units.length}
              params={params}
              choose={choose}
              office={office}
            />
          ) : user?.organisationCode ? (
            <UnitResults
              planId={planId}
              plan={document}
              unit={user.organisationCode}
              publicationId={params.get("publication") ?? undefined}
              choose={choose}
            />
          ) : null}
        </>
      )}
    </div>
  );
}
