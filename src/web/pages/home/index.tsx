import { Typography } from "antd";
import { can } from "../../access";
import { useLocale } from "../../locales";
import { useSession } from "../../services/auth";
import { Agenda } from "./components/Agenda";
import { OfficeYear } from "./components/OfficeYear";
import "./home.css";

/**
 * The workbench: what needs the user's action now (the agenda, per plan in force, for every role that
 * reads plans); below it, for the office and reviewers, every unit's progress in the year's plan.
 */
export default function HomePage() {
  const { t } = useLocale();
  const session = useSession();
  const user = session.data?.user;
  const roles = user?.roles ?? [];

  return (
    <div className="page">
      <Typography.Title level={2}>{t("home.welcome", { name: user?.displayName ?? "" })}</Typography.Title>
      {can(roles, "plans.read") ? <Agenda roles={roles} /> : null}
      {can(roles, "values.progress") ? <OfficeYear /> : null}
    </div>
  );
}
