import { Alert, Card, Empty, Skeleton, Tabs, Typography } from "antd";
import type { Plan } from "../../../engine/plan/schema.js";
import { usePlanChoice } from "../../components/PlanSelect";
import { useLocale } from "../../locales";
import { ApiError } from "../../services/http";
import { usePlan, usePlans } from "../../services/plans";
import { ReviewQueue } from "./components/ReviewQueue";
import { SpotChecks } from "./components/SpotChecks";
import "./review.css";

/** The review queue across units (approve, return with a reason, batch approve) and the spot checks. */
export default function ReviewPage() {
  const { t } = useLocale();
  const plans = usePlans();
  const { planId, picker } = usePlanChoice(plans.data?.items ?? [], t("review.plan"), "review-plan", {
    inForce: true,
  });
  const plan = usePlan(planId);
  const error = plans.error ?? plan.error;

  return (
    <div className="page">
      <Typography.Title level={2}>{t("review.title")}</Typography.Title>
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
          <Empty description={t("review.noPlans")} />
        </Card>
      ) : (
        <>
          {picker}
          {plan.isPending ? (
            <Card>
              <Skeleton active />
            </Card>
          ) : plan.data ? (
            <Tabs
              destroyOnHidden
              items={[
                {
                  key: "queue",
                  label: t("review.tab.queue"),
                  children: <ReviewQueue key={planId} planId={planId} plan={plan.data.document as Plan} />,
                },
                {
                  key: "spot",
                  label: t("review.tab.spot"),
                  children: <SpotChecks key={planId} planId={planId} plan={plan.data.document as Plan} />,
                },
              ]}
            />
          ) : null}
        </>
      )}
    </div>
  );
}
