import {
  AimOutlined,
  AuditOutlined,
  EditOutlined,
  MessageOutlined,
  PlusCircleOutlined,
  RollbackOutlined,
  SendOutlined,
} from "@ant-design/icons";
import { Tag } from "antd";
import type { ReactNode } from "react";
import type { AgendaPlan } from "../../../../server/modules/agenda/schema.js";
import { can, type Role } from "../../../access";
import type { useLocale } from "../../../locales";

type T = ReturnType<typeof useLocale>["t"];

/** One row of a plan's agenda: what to do (or what waits on others), and the page where it is done. */
export interface AgendaAction {
  key: string;
  /** todo: the user's own action; waiting: it waits on the office or the leader; info: may be done now. */
  kind: "todo" | "waiting" | "info";
  icon: ReactNode;
  title: string;
  description?: ReactNode;
  to: string;
  go: string;
}

const objectionColour = { open: "orange", accepted: "green", rejected: "default" } as const;

/**
 * The rows of a plan's agenda for these roles, the user's own actions first. Each section the server
 * sent (null: not the user's) becomes a row only when something is in it.
 */
export function agendaActions(
  plan: AgendaPlan,
  roles: readonly Role[],
  t: T,
  time: (iso: string) => string,
  english: boolean,
): AgendaAction[] {
  const rows: AgendaAction[] = [];
  const entry = `/entry?plan=${plan.planId}`;
  const { entry: counts, returned, review, objections, targetAdjustments, claims } = plan;
  const office = can(roles, "objections.resolve");
  if (returned && returned.total > 0)
    rows.push({
      key: "returned",
      kind: "todo",
      icon: <RollbackOutlined />,
      title: t("home.agenda.returned", { n: returned.total }),
      description: (
        <ul className="agenda-returned">
          {returned.items.map((v) => (
            <li key={`${v.indicator}/${v.period}`}>
              <span className="agenda-cell">
                {v.indicator} {english ? `${v.nameEn ?? v.name} (${v.period})` : `${v.name}（${v.period}）`}
              </span>
              {v.response ? <Tag color="blue">{t("home.agenda.answered")}</Tag> : null}
              <span className="agenda-reason">{t("home.agenda.reason", { reason: v.reason ?? "" })}</span>
            </li>
          ))}
          {returned.total > returned.items.length ? (
            <li>{t("home.agenda.returned.more", { n: returned.total - returned.items.length })}</li>
          ) : null}
        </ul>
      ),
      to: entry,
      go: t("home.agenda.go.entry"),
    });
  if (counts && counts.empty > 0 && can(roles, "values.write"))
    rows.push({
      key: "empty",
      kind: "todo",
      icon: <EditOutlined />,
      title: t("home.agenda.empty", { n: counts.empty }),
      description: t("home.agenda.empty.desc", {
        expected: counts.expected,
        entered: counts.expected - counts.empty,
      }),
      to: entry,
      go: t("home.agenda.go.entry"),
    });
  if (counts && counts.draft > 0)
    rows.push(
      can(roles, "values.submit")
        ? {
            key: "drafts",
            kind: "todo",
            icon: <SendOutlined />,
            title: t("home.agenda.drafts", { n: counts.draft }),
            description: t("home.agenda.drafts.desc"),
            to: entry,
            go: t("home.agenda.go.submit"),
          }
        : {
            key: "drafts",
            kind: "waiting",
            icon: <SendOutlined />,
            title: t("home.agenda.drafted", { n: counts.draft }),
            to: entry,
            go: t("home.agenda.go.view"),
          },
    );
  if (review && review.submitted > 0)
    rows.push({
      key: "review",
      kind: "todo",
      icon: <AuditOutlined />,
      title: t("home.agenda.review", { n: review.submitted }),
      description: t("home.agenda.review.desc"),
      to: `/review?plan=${plan.planId}`,
      go: t("home.agenda.go.review"),
    });
  if (objections) {
    const at = objections.publicationId ? `&publication=${objections.publicationId}` : "";
    const to = `/objections?plan=${plan.planId}${at}`;
    if (office && objections.open > 0)
      rows.push({
        key: "objections",
        kind: "todo",
        icon: <MessageOutlined />,
        title: t("home.agenda.objections.office", { n: objections.open }),
        description: t("home.agenda.objections.office.desc"),
        to,
        go: t("home.agenda.go.resolve"),
      });
    if (!office && objections.items.length > 0)
      rows.push({
        key: "objections",
        kind: objections.open > 0 ? "waiting" : "info",
        icon: <MessageOutlined />,
        title: t("home.agenda.objections.own", { n: objections.items.length }),
        description: (
          <ul className="agenda-returned">
            {objections.items.map((o) => (
              <li key={o.id}>
                <Tag color={objectionColour[o.status]}>{t(`home.agenda.objection.${o.status}`)}</Tag>
                <span className="agenda-reason">
                  {o.resolution ? `${o.reason} — ${o.resolution}` : o.reason}
                </span>
              </li>
            ))}
          </ul>
        ),
        to,
        go: t("home.agenda.go.view"),
      });
    if (!office && objections.notice && can(roles, "objections.file"))
      rows.push({
        key: "notice",
        kind: "info",
        icon: <MessageOutlined />,
        title: t("home.agenda.notice", { time: time(objections.notice.noticeUntil) }),
        to: `/objections?plan=${plan.planId}&publication=${objections.notice.publicationId}`,
        go: t("home.agenda.go.object"),
      });
  }
  // Requests awaiting the office's decision: the office's to decide, a unit's to follow.
  const awaiting = (what: "targets" | "claims", icon: ReactNode, pending: number, decides: boolean) =>
    rows.push({
      key: what,
      kind: decides ? "todo" : "waiting",
      icon,
      title: t(`home.agenda.${what}.${decides ? "office" : "unit"}`, { n: pending }),
      to: `/${what}?plan=${plan.planId}`,
      go: t(decides ? "home.agenda.go.decide" : "home.agenda.go.view"),
    });
  if (targetAdjustments && targetAdjustments.pending > 0)
    awaiting("targets", <AimOutlined />, targetAdjustments.pending, can(roles, "targets.decide"));
  if (claims && claims.pending > 0)
    awaiting("claims", <PlusCircleOutlined />, claims.pending, can(roles, "claims.decide"));
  const order = { todo: 0, waiting: 1, info: 2 };
  return rows.sort((a, b) => order[a.kind] - order[b.kind]);
}
