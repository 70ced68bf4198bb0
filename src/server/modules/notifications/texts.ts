import { minute } from "../../../portal/pages/text.js";
import type { NotificationText } from "../../db/schema/index.js";

/** A notification in both languages; the e-mail takes the recipient's, the inbox the reader's. */
export type Texts = { "zh-CN": NotificationText; en: NotificationText };

/** A name in both languages (the English one falls back to the Chinese). */
export type Named = { zh: string; en: string };

export const named = (zh: string | null | undefined, en?: string | null): Named => ({
  zh: zh ?? "",
  en: en || zh || "",
});

/** A moment as the assessment office's clock reads it (Beijing time), in either language. */
export function beijingTime(at: Date): { zh: string; en: string } {
  const text = minute(at);
  return { zh: `${text}（北京时间）`, en: `${text} (Beijing time)` };
}

/** The line an e-mail ends with (the inbox shows the body alone). */
export const mailSignature = { "zh-CN": "\n\n——kaohe 考核平台", en: "\n\n— kaohe assessment platform" };

function texts(zh: NotificationText, en: NotificationText): Texts {
  return { "zh-CN": zh, en };
}

export const planPublished = (plan: Named, version: number): Texts =>
  texts(
    {
      subject: `考核方案已发布：${plan.zh}`,
      body: `考核方案“${plan.zh}”（第 ${version} 版）已发布。请登录平台，按方案填报本单位的数据和佐证材料。`,
    },
    {
      subject: `Assessment plan published: ${plan.en}`,
      body: `The assessment plan "${plan.en}" (version ${version}) has been published. Please sign in and report your unit's values and evidence.`,
    },
  );

export const valueReturned = (
  plan: Named,
  indicator: Named & { code: string },
  period: string,
  reason: string,
): Texts =>
  texts(
    {
      subject: `数据被退回：${indicator.zh}（${period}）`,
      body: `考核方案“${plan.zh}”中，本单位填报的“${indicator.zh}”（${indicator.code}，${period}）被退回。\n退回理由：${reason}\n请修改数值或答复理由后重新提交。`,
    },
    {
      subject: `Value returned: ${indicator.en} (${period})`,
      body: `In the assessment plan "${plan.en}", your unit's value of "${indicator.en}" (${indicator.code}, ${period}) was returned.\nReason: ${reason}\nPlease change the value or answer the reason, then submit again.`,
    },
  );

export const objectionFiled = (plan: Named, unit: Named, reason: string): Texts =>
  texts(
    {
      subject: `收到异议：${unit.zh}`,
      body: `${unit.zh}对考核方案“${plan.zh}”的公示结果提出异议。\n异议理由：${reason}\n请在公示期内处理。`,
    },
    {
      subject: `Objection filed: ${unit.en}`,
      body: `${unit.en} objected to the published results of the assessment plan "${plan.en}".\nReason: ${reason}\nPlease resolve it during the notice period.`,
    },
  );

export const objectionResolved = (plan: Named, accepted: boolean, resolution: string): Texts =>
  texts(
    {
      subject: accepted ? `异议已受理：${plan.zh}` : `异议未予受理：${plan.zh}`,
      body: `本单位对考核方案“${plan.zh}”公示结果提出的异议${accepted ? "已受理，相关数据已解锁，请按要求更正" : "未予受理"}。\n处理意见：${resolution}`,
    },
    {
      subject: accepted ? `Objection accepted: ${plan.en}` : `Objection rejected: ${plan.en}`,
      body: `Your unit's objection to the published results of "${plan.en}" was ${accepted ? "accepted: the cells it concerns are unlocked for correction" : "rejected"}.\nResolution: ${resolution}`,
    },
  );

/** Results under public notice (公示): a republication says it replaces the notice before. */
export const resultsPublished = (plan: Named, noticeUntil: Date, republished: boolean): Texts => {
  const until = beijingTime(noticeUntil);
  return texts(
    {
      subject: `${republished ? "考核结果已更新公示" : "考核结果公示"}：${plan.zh}`,
      body: `考核方案“${plan.zh}”的考核结果${republished ? "已更正并重新公示，此前的公示同时撤回" : "已公示"}，公示期至 ${until.zh}。请登录平台查看本单位结果；如有异议，请在公示期内提出。`,
    },
    {
      subject: `${republished ? "Results republished" : "Results under public notice"}: ${plan.en}`,
      body: `The results of the assessment plan "${plan.en}" ${republished ? "were corrected and published again, withdrawing the earlier notice" : "are under public notice"} until ${until.en}. Please sign in to see your unit's results; any objection must be filed during the notice period.`,
    },
  );
};

export const resultsFinal = (plan: Named): Texts =>
  texts(
    {
      subject: `考核结果已定稿：${plan.zh}`,
      body: `考核方案“${plan.zh}”的公示期已结束，考核结果已定稿。请登录平台查看本单位的最终结果。`,
    },
    {
      subject: `Results final: ${plan.en}`,
      body: `The notice period of the assessment plan "${plan.en}" is over and its results are final. Please sign in to see your unit's final results.`,
    },
  );

export type ReminderKind = "7d" | "1d" | "2h";

const HOUR = 3600_000;

/** The time left before a deadline as a reader says it: days, else hours, else minutes (rounded). */
function timeLeft(ms: number): Named {
  if (ms >= 23.5 * HOUR) {
    const days = Math.round(ms / (24 * HOUR));
    return { zh: `${days} 天`, en: days === 1 ? "1 day" : `${days} days` };
  }
  if (ms >= HOUR) {
    const hours = Math.round(ms / HOUR);
    return { zh: `${hours} 小时`, en: hours === 1 ? "1 hour" : `${hours} hours` };
  }
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return { zh: `${minutes} 分钟`, en: minutes === 1 ? "1 minute" : `${minutes} minutes` };
}

/**
 * A reminder of `deadline` written at `at`: it says the time actually left (a deadline set 3 days
 * ahead gets its first reminder at once, and it says 3 days, not 7).
 */
export const deadlineReminder = (plan: Named, deadline: Date, at: Date): Texts => {
  const when = beijingTime(deadline);
  const left = timeLeft(deadline.getTime() - at.getTime());
  return texts(
    {
      subject: `填报截止提醒（还有 ${left.zh}）：${plan.zh}`,
      body: `考核方案“${plan.zh}”的数据填报将于 ${when.zh} 截止，距截止还有 ${left.zh}，本单位尚未提交。请尽快完成填报，并由单位负责人提交。`,
    },
    {
      subject: `Reporting deadline in ${left.en}: ${plan.en}`,
      body: `Reporting for the assessment plan "${plan.en}" closes at ${when.en}, ${left.en} from now, and your unit has not submitted yet. Please complete your values; the unit leader submits them.`,
    },
  );
};
