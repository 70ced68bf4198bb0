import {
  BellOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  FileDoneOutlined,
  MessageOutlined,
  NotificationOutlined,
  RollbackOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";
import type { NotificationView } from "../../../services/notifications";

type Kind = NotificationView["kind"];

/** Each kind's icon and tag colour (colours at AA contrast on white, as the workbench's tags). */
export const kindStyle: Record<Kind, { icon: ReactNode; className: string }> = {
  deadline: { icon: <ClockCircleOutlined />, className: "notice-kind notice-kind-deadline" },
  value_returned: { icon: <RollbackOutlined />, className: "notice-kind notice-kind-returned" },
  objection_filed: { icon: <MessageOutlined />, className: "notice-kind notice-kind-objection" },
  objection_resolved: { icon: <MessageOutlined />, className: "notice-kind notice-kind-resolved" },
  plan_published: { icon: <NotificationOutlined />, className: "notice-kind notice-kind-plan" },
  results_published: { icon: <FileDoneOutlined />, className: "notice-kind notice-kind-results" },
  results_final: { icon: <CheckCircleOutlined />, className: "notice-kind notice-kind-results" },
};

export const fallbackIcon = <BellOutlined />;

export function formatTime(at: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(at));
}
