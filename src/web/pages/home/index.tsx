import { Alert, Card, Empty, Select, Skeleton, Typography } from "antd";
import { useState } from "react";
import { can } from "../../access";
import { useLocale } from "../../locales";
import { useSession } from "../../services/auth";
import { ApiError } from "../../services/http";
import { usePlans } from "../../services/plans";
import { OfficeProgress } from "./components/OfficeProgress";
import { UnitPlans } from "./components/UnitPlans";

/** The workbench: for the office, every unit's progress in the year's plan; for a unit, its plans and deadlines. */
export default function HomePage() {
  const { t } = useLocale();
  const session = useSession();
  const plans = usePlans();
  const user = session.data?.user;
  const office = user ? can(user.roles, "values.progress") : false;
  const items = plans.data?.items ?? [];
  const [chosen, setChosen] = useState<string>();
  const planId = chosen ?? items.find((p) => p.status !== "draft")?.planId ?? items[0]?.planId;

  return (
    <div className="page">
      <Typography.Title level={2}>{t("home.welcome", { name: user?.displayName ?? "" })}</Typography.Title>
      {plans.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : plans.isError ? (
        <Alert
          type="error"
          showIcon
          title={t("error.load")}
          description={plans.error instanceof ApiError ? plans.error.problem.title : undefined}
        />
      ) : items.length === 0 ? (
        <Card>
          <Empty description={t("home.noPlans")} />
        </Card>
      ) : office ? (
        <>
          <div className="home-plan-picker">
            <label htmlFor="home-plan">{t("home.plan")}</label>
            <Select
              id="home-plan"
              className="home-plan-select"
              value={planId}
              onChange={setChosen}
              options={items.map((p) => ({ value: p.planId, label: `${p.name}（v${p.version}）` }))}
            />
          </div>
          {planId ? <OfficeProgress planId={planId} /> : null}
        </>
      ) : (
        <UnitPlans plans={items} />
      )}
    </div>
  );
}
