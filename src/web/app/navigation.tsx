import {
  AimOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BuildOutlined,
  DotChartOutlined,
  ExperimentOutlined,
  FormOutlined,
  HistoryOutlined,
  HomeOutlined,
  MessageOutlined,
  NotificationOutlined,
  PlusCircleOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  StarOutlined,
  TeamOutlined,
  TrophyOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";
import type { Action } from "../access";
import type { MessageKey } from "../locales/zh-CN";

/** The navigation: each entry shown only to the roles the server's policy table allows (none: every role). */
export const navigation: { path: string; label: MessageKey; icon: ReactNode; action?: Action }[] = [
  { path: "/home", label: "nav.home", icon: <HomeOutlined /> },
  { path: "/entry", label: "nav.entry", icon: <FormOutlined />, action: "units.own" },
  { path: "/targets", label: "nav.targets", icon: <AimOutlined />, action: "targets.read" },
  { path: "/review", label: "nav.review", icon: <AuditOutlined />, action: "values.review" },
  { path: "/marks", label: "nav.marks", icon: <StarOutlined />, action: "marks.read" },
  { path: "/claims", label: "nav.claims", icon: <PlusCircleOutlined />, action: "claims.read" },
  { path: "/plans", label: "nav.plans", icon: <ProfileOutlined />, action: "plans.manage" },
  { path: "/designer", label: "nav.designer", icon: <BuildOutlined />, action: "plans.revise" },
  { path: "/objections", label: "nav.objections", icon: <MessageOutlined />, action: "objections.read" },
  { path: "/results", label: "nav.results", icon: <TrophyOutlined />, action: "results.own" },
  { path: "/runs", label: "nav.runs", icon: <HistoryOutlined />, action: "runs.read" },
  { path: "/simulate", label: "nav.simulate", icon: <ExperimentOutlined />, action: "scenarios.use" },
  { path: "/sensitivity", label: "nav.sensitivity", icon: <DotChartOutlined />, action: "runs.manage" },
  { path: "/bulletins", label: "nav.bulletins", icon: <NotificationOutlined />, action: "bulletins.manage" },
  {
    path: "/admin/organisations",
    label: "nav.organisations",
    icon: <ApartmentOutlined />,
    action: "organisations.write",
  },
  { path: "/admin/accounts", label: "nav.accounts", icon: <TeamOutlined />, action: "users.read" },
  { path: "/audit", label: "nav.audit", icon: <SafetyCertificateOutlined />, action: "audit.read" },
];
