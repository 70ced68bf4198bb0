import { Card, Empty } from "antd";
import { usePlanChoice } from "../../../components/PlanSelect";
import { useLocale } from "../../../locales";
import { usePlans } from "../../../services/plans";
import { HomeSection } from "./HomeSection";
import { OfficeProgress } from "./OfficeProgress";

/** The office's (and reviewers') view of the year below the agenda: every unit's progress in a chosen plan. */
export function OfficeYear() {
  const { t } = useLocale();
  const plans = usePlans();
  const { planId, picker } = usePlanChoice(plans.data?.items ?? [], t("home.plan"), "home-plan");
  return (
    <HomeSection id="home-year-title" title={t("home.year")} query={plans}>
      {({ items }) =>
        items.length === 0 || !planId ? (
          <Card>
            <Empty description={t("home.noPlans")} />
          </Card>
        ) : (
          <>
            {picker}
            <OfficeProgress planId={planId} />
          </>
        )
      }
    </HomeSection>
  );
}
