import type { Lang } from "../engine/index.js";

/**
 * An error the API reports to its caller: HTTP status, a stable code, a message in both languages and
 * the offending field, if any. The problem-details handler turns it into an RFC 9457 response.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: Record<Lang, string>,
    readonly field?: string,
    /** More members of the problem document, e.g. the current state in a conflict. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(messages.en);
  }
}

export const appError = (status: number, code: string, zh: string, en: string, field?: string) =>
  new AppError(status, code, { "zh-CN": zh, en }, field);

export const unauthorized = () => appError(401, "UNAUTHENTICATED", "请先登录", "sign in first");
export const forbidden = (zh = "无权进行此操作", en = "not allowed") => appError(403, "FORBIDDEN", zh, en);
export const notFound = (zh = "未找到", en = "not found") => appError(404, "NOT_FOUND", zh, en);
