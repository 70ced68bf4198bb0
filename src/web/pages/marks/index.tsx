import { Alert, Card, Empty, Skeleton, Typography } from "antd";
import { useMemo, useState } from "react";
import type { IndicatorSpec, Plan } from "../../../engine/plan/schema.js";
import { can } from "../../access";
import { LabelledSelect } from "../../components/LabelledSelect";
import { usePlanChoice } from "../../components/PlanSelect";
import { useLocale } from "../../locales";
import { useSession } from "../../services/auth";
import { ApiError } from "../../services/http";
import { usePlan, usePlans } from "../../services/plans";
import { MarkSummaryTable } from "./components/MarkSummaryTable";
import { MyMarks } from "./components/MyMarks";
import "./marks.css";

/** The expert-marked (qualitative) indicators of a plan, each with its highest mark. */
function expertIndicators(plan: Plan | undefined): { spec: IndicatorSpec; markMax: number | undefined }[] {
  const found: { spec: IndicatorSpec; markMax: number | undefined }[] = [];
  const walk = (nodes: readonly IndicatorSpec[]) => {
    for (const n of nodes) {
      if (n.children?.length) walk(n.children);
      else if (n.rule?.type === "expert") found.push({ spec: n, markMax: n.rule.markMax ?? n.points });
    }
  };
  walk(plan?.indicators ?? []);
  return found;
}

/** Expert marking: each reviewer's own marks per unit; the trimmed mean for the office only. */
export default function MarksPage() {
  const { t, lang } = useLocale();
  const session = useSession();
  const roles = session.data?.user.roles ?? [];
  const marker = can(roles, "marks.write");
  const office = can(roles, "marks.all");
  const plans = usePlans();
  const { planId, picker } = usePlanChoice(plans.data?.items ?? [], t("marks.plan"), "marks-plan", {
    inForce: true,
  });
  const plan = usePlan(planId);
  const document = plan.data?.document as Plan | undefined;
  const indicators = useMemo(() => expertIndicators(document), [document]);
  const [chosenIndicator, setChosenIndicator] = useState<string>();
  const indicator = indicators.find((i) => i.spec.code === chosenIndicator) ?? indicators[0];
  const error = plans.error ?? plan.error;
  const name = (s: IndicatorSpec) => `${s.code} ${lang === "en" && s.nameEn ? s.nameEn : s.name}`;

  return (
    <div className="page">
      <Typography.Title level={2}>{t("marks.title")}</Typography.Title>
      {error ? (
        <Alert
          type="error"
          showIcon
          title={t("error.load")}
          description={error instanceof ApiError ? error.problem.title : undefined}
        />
      ) : plans.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : !planId ? (
        <Card>
          <Empty description={t("marks.noPlans")} />
        </Card>
      ) : (
        <>
          <div className="marks-pickers">
            {picker}
            {indicators.length > 0 ? (
              <div className="marks-picker">
                <label htmlFor="marks-indicator">{t("marks.indicator")}</label>
                <LabelledSelect
                  id="marks-indicator"
                  label={t("marks.indicator")}
                  className="marks-indicator-select"
                  value={indicator?.spec.code}
                  onChange={setChosenIndicator}
                  options={indicators.map((i) => ({ value: i.spec.code, label: name(i.spec) }))}
                />
              </div>
            ) : null}
          </div>
          {!document ? (
            <Card>
              <Skeleton active />
            </Card>
          ) : !indicator ? (
            <Card>
              <Empty description={t("marks.noIndicators")} />
            </Card>
          ) : (
            <>
              {marker ? (
                <MyMarks
                  key={`${planId}/${indicator.spec.code}`}
                  planId={planId}
                  plan={document}
                  indicator={indicator.spec.code}
                  markMax={indicator.markMax}
                  userId={session.data?.user.id ?? ""}
                />
              ) : null}
              {office ? (
                <MarkSummaryTable planId={planId} plan={document} indicator={indicator.spec.code} />
              ) : null}
            </>
          )}
        </>
      )}
    </div>
  );
}
