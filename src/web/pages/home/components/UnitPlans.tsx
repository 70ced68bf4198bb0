import { Card, Skeleton, Tag } from "antd";
import type { PlanView } from "../../../../server/modules/plans/schema.js";
import { useLocale } from "../../../locales";
import { usePlan } from "../../../services/plans";
import { Deadline } from "./Deadline";

/** A unit's plans: each with its status, its deadline and whether the unit may report now. */
export function UnitPlans({ plans }: { plans: PlanView[] }) {
  return (
    <div className="home-plans">
      {plans.map((p) => (
        <UnitPlan key={p.planId} plan={p} />
      ))}
    </div>
  );
}

function UnitPlan({ plan }: { plan: PlanView }) {
  const { t } = useLocale();
  const detail = usePlan(plan.planId);
  return (
    <Card
      title={<h2 className="card-title">{plan.name}</h2>}
      extra={
        <Tag color={plan.status === "published" ? "green" : "default"}>{t(`status.${plan.status}`)}</Tag>
      }
    >
      {detail.data ? (
        <Deadline
          deadline={detail.data.deadline}
          open={detail.data.reporting.open}
          closedBy={detail.data.reporting.closedBy}
        />
      ) : (
        <Skeleton active paragraph={{ rows: 1 }} />
      )}
    </Card>
  );
}
