import { Card, Empty, Select } from "antd";
import { useState } from "react";
import { useLocale } from "../../../locales";
import { usePlans } from "../../../services/plans";
import { HomeSection } from "./HomeSection";
import { OfficeProgress } from "./OfficeProgress";

/** The office's (and reviewers') view of the year below the agenda: every unit's progress in a chosen plan. */
export function OfficeYear() {
  const { t } = useLocale();
  const plans = usePlans();
  const items = plans.data?.items ?? [];
  const [chosen, setChosen] = useState<string>();
  const planId = chosen ?? items.find((p) => p.status !== "draft")?.planId ?? items[0]?.planId;
  return (
    <HomeSection id="home-year-title" title={t("home.year")} query={plans}>
      {({ items }) =>
        items.length === 0 ? (
          <Card>
            <Empty description={t("home.noPlans")} />
          </Card>
        ) : (
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
        )
      }
    </HomeSection>
  );
}
