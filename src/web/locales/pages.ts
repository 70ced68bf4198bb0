import * as components from "../components/locales";
import * as accounts from "../pages/accounts/locales";
import * as audit from "../pages/audit/locales";
import * as bulletins from "../pages/bulletins/locales";
import * as claims from "../pages/claims/locales";
import * as designer from "../pages/designer/locales";
import * as entry from "../pages/entry/locales";
import * as home from "../pages/home/locales";
import * as marks from "../pages/marks/locales";
import * as notifications from "../pages/notifications/locales";
import * as objections from "../pages/objections/locales";
import * as organisations from "../pages/organisations/locales";
import * as plans from "../pages/plans/locales";
import * as results from "../pages/results/locales";
import * as review from "../pages/review/locales";
import * as sensitivity from "../pages/sensitivity/locales";
import * as simulate from "../pages/simulate/locales";
import * as targets from "../pages/targets/locales";

/**
 * The signed-in pages' texts, each page's from its folder's locales.ts: loaded as their own chunk when
 * the signed-in shell first renders (useLocale().pagesReady), so the sign-in page does not carry them.
 */
const zhCN = {
  ...components.zhCN,
  ...home.zhCN,
  ...entry.zhCN,
  ...targets.zhCN,
  ...review.zhCN,
  ...marks.zhCN,
  ...claims.zhCN,
  ...plans.zhCN,
  ...designer.zhCN,
  ...objections.zhCN,
  ...results.zhCN,
  ...notifications.zhCN,
  ...organisations.zhCN,
  ...accounts.zhCN,
  ...audit.zhCN,
  ...simulate.zhCN,
  ...sensitivity.zhCN,
  ...bulletins.zhCN,
} as const;

export type PageMessageKey = keyof typeof zhCN;

const en: Record<PageMessageKey, string> = {
  ...components.en,
  ...home.en,
  ...entry.en,
  ...targets.en,
  ...review.en,
  ...marks.en,
  ...claims.en,
  ...plans.en,
  ...designer.en,
  ...objections.en,
  ...results.en,
  ...notifications.en,
  ...organisations.en,
  ...accounts.en,
  ...audit.en,
  ...simulate.en,
  ...sensitivity.en,
  ...bulletins.en,
};

export const pageMessages = { "zh-CN": zhCN, en };
