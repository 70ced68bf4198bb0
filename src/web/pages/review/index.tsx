import { Alert, Card, Empty, Skeleton, Tabs, Typography } from "antd";
import { useState } from "react";
import type { Plan } from "../../../engine/plan/schema.js";
import { LabelledSelect } from "../../components/LabelledSelect";
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
  const items = (plans.data?.items ?? []).filter((p) => p.status !== "draft");
  const [chosen, setChosen] = useState<string>();
  const planId = chosen ?? items.find((p) => p.status === "published")?.planId ?? items[0]?.planId;
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
      ) : items.length === 0 || !planId ? (
        <Card>
          <Empty description={t("review.noPlans")} />
        </Card>
      ) : (
        <>
          <div className="review-plan-picker">
            <label htmlFor="review-plan">{t("review.plan")}</label>
            <LabelledSelect
              id="review-plan"
              label={t("review.plan")}
              className="review-plan-select"
              value={planId}
              onChange={setChosen}
              options={items.map((p) => ({ value: p.planId, label: `${p.name}（v${p.version}）` }))}
            />
          </div>
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
