import { RightOutlined } from "@ant-design/icons";
import { Card, Empty, Tag } from "antd";
import { Link } from "react-router";
import type { AgendaPlan } from "../../../../server/modules/agenda/schema.js";
import type { Role } from "../../../access";
import { useLocale } from "../../../locales";
import { useAgenda } from "../../../services/agenda";
import { agendaActions } from "./agenda-actions";
import { Deadline } from "./Deadline";
import { HomeSection } from "./HomeSection";

/** What needs the user's action now, one card per plan in force, each row linking to where it is done. */
export function Agenda({ roles }: { roles: readonly Role[] }) {
  const { t } = useLocale();
  const agenda = useAgenda();
  return (
    <HomeSection id="agenda-title" title={t("home.agenda.title")} query={agenda}>
      {(data) =>
        data.items.length === 0 ? (
          <Card>
            <Empty description={t("home.agenda.noPlans")} />
          </Card>
        ) : (
          <div className="home-plans">
            {data.items.map((p) => (
              <PlanAgenda key={p.planId} plan={p} roles={roles} />
            ))}
          </div>
        )
      }
    </HomeSection>
  );
}

function PlanAgenda({ plan, roles }: { plan: AgendaPlan; roles: readonly Role[] }) {
  const { t, lang } = useLocale();
  const time = (iso: string) =>
    new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  const actions = agendaActions(plan, roles, t, time, lang === "en");
  const { window: w } = plan;
  return (
    <Card
      className="agenda-plan"
      title={<h3 className="card-title">{plan.name}</h3>}
      extra={
        <span className="agenda-plan-extra">
          <span className="agenda-version">{t("home.agenda.version", { version: plan.version })}</span>
          <Tag color={plan.status === "published" ? "green" : "default"}>{t(`status.${plan.status}`)}</Tag>
        </span>
      }
    >
      <div className="agenda-deadline">
        <Deadline
          deadline={w.deadline}
          open={w.open}
          closedBy={w.closedBy}
          reopenedUntil={plan.unit ? w.reopenedUntil : null}
        />
      </div>
      {actions.length === 0 ? (
        <p className="agenda-none">{t("home.agenda.none")}</p>
      ) : (
        <ul className="agenda-list">
          {actions.map((a) => (
            <li key={a.key} className={`agenda-item agenda-${a.kind}`}>
              <span className="agenda-icon" aria-hidden="true">
                {a.icon}
              </span>
              <div className="agenda-body">
                <div className="agenda-title">
                  {a.kind === "info" ? null : (
                    <Tag color={a.kind === "todo" ? "blue" : "default"}>
                      {t(a.kind === "todo" ? "home.agenda.todo" : "home.agenda.waiting")}
                    </Tag>
                  )}
                  <span>{a.title}</span>
                </div>
                {a.description ? <div className="agenda-desc">{a.description}</div> : null}
              </div>
              <Link className="agenda-go" to={a.to}>
                {a.go}
                <RightOutlined aria-hidden="true" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
