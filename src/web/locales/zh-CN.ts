import * as accounts from "../pages/accounts/locales";
import * as audit from "../pages/audit/locales";
import * as claims from "../pages/claims/locales";
import * as entry from "../pages/entry/locales";
import * as login from "../pages/login/locales";
import * as marks from "../pages/marks/locales";
import * as notifications from "../pages/notifications/locales";
import * as objections from "../pages/objections/locales";
import * as organisations from "../pages/organisations/locales";
import * as plans from "../pages/plans/locales";
import * as results from "../pages/results/locales";
import * as review from "../pages/review/locales";
import * as targets from "../pages/targets/locales";

/** 中文（默认）界面文字。The shell's own here; each page's in its folder's locales.ts (keys prefixed by the page); en.ts must have exactly the same keys. */
export const zhCN = {
  "app.name": "目标责任制考核",
  "app.org": "考核办",
  "app.demoBanner": "演示环境：所有数据均为示例数据，仅供体验。",
  "lang.switch": "English",
  "nav.home": "工作台",
  "user.logout": "退出登录",
  "role.system_admin": "系统管理员",
  "role.security_admin": "安全管理员",
  "role.audit_admin": "审计管理员",
  "role.office_staff": "考核办工作人员",
  "role.reviewer": "审核人员",
  "role.unit_reporter": "单位填报员",
  "role.unit_leader": "单位负责人",
  "login.title": "登录",
  "login.subtitle": "目标责任制考核与指标评价平台",
  "login.username": "用户名",
  "login.password": "密码",
  "login.submit": "登录",
  "login.required.username": "请输入用户名",
  "login.required.password": "请输入密码",
  "login.demo.title": "演示账号",
  "login.demo.password": "演示账号的密码均为",
  "login.demo.use": "使用",
  "login.expired": "登录已过期，请重新登录。您填写的内容已保留。",
  "home.welcome": "欢迎，{name}",
  "home.noPlans": "暂无可见的考核方案。",
  "home.plan": "考核方案",
  "home.progress": "各单位填报进度",
  "home.deadline": "填报截止",
  "home.noDeadline": "未设置截止时间",
  "home.remaining": "剩余 {days} 天 {hours} 小时",
  "home.reporting.open": "填报中",
  "home.reporting.PLAN_DRAFT": "方案未发布",
  "home.reporting.PLAN_FROZEN": "方案已冻结",
  "home.reporting.DEADLINE_PASSED": "已过截止时间",
  "home.reopenedUntil": "已重新开放至 {time}",
  "home.col.unit": "单位",
  "home.col.progress": "完成情况",
  "home.col.window": "填报状态",
  "count.expected": "应填",
  "count.entered": "已填",
  "count.draft": "草稿",
  "count.submitted": "已提交",
  "count.returned": "已退回",
  "count.approved": "已审核",
  "count.missingEvidence": "缺佐证",
  "status.draft": "草稿",
  "status.published": "执行中",
  "status.frozen": "已冻结",
  "error.load": "加载失败",
  "exception.403.title": "无权访问",
  "exception.403.text": "您的角色无权查看此页面。",
  "exception.404.title": "页面不存在",
  "exception.404.text": "您访问的页面不存在。",
  "exception.back": "返回工作台",
  "error.network": "无法连接服务器，请稍后重试。",
  "error.generic": "操作失败",
  "problem.field": "出错位置：{field}",
  "decision.decision": "审批结果",
  "decision.approve": "批准",
  "decision.reject": "驳回",
  "decision.reason": "审批意见",
  "decision.reasonHint": "请填写审批意见（至少 2 个字）",
  "confirm.ok": "确定",
  "confirm.cancel": "取消",
  ...login.zhCN,
  ...entry.zhCN,
  ...targets.zhCN,
  ...review.zhCN,
  ...marks.zhCN,
  ...claims.zhCN,
  ...plans.zhCN,
  ...objections.zhCN,
  ...results.zhCN,
  ...notifications.zhCN,
  ...organisations.zhCN,
  ...accounts.zhCN,
  ...audit.zhCN,
} as const;

export type MessageKey = keyof typeof zhCN;
