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

/**
 * Runs `step` on each input in turn (within the caller's transaction); a refusal says which input it
 * was (`extra.index`), so that the row of an uploaded file can be named. Later inputs do not run, and
 * the caller's transaction rolls back: nothing is half-written.
 */
export async function eachInput<I, R>(inputs: readonly I[], step: (input: I) => Promise<R>): Promise<R[]> {
  const done: R[] = [];
  for (const [index, input] of inputs.entries()) {
    try {
      done.push(await step(input));
    } catch (e) {
      if (e instanceof AppError)
        throw new AppError(e.status, e.code, e.messages, e.field, { ...e.extra, index });
      throw e;
    }
  }
  return done;
}

export const appError = (status: number, code: string, zh: string, en: string, field?: string) =>
  new AppError(status, code, { "zh-CN": zh, en }, field);

export const unauthorized = () => appError(401, "UNAUTHENTICATED", "请先登录", "sign in first");
/** 403; `extra` adds members to the problem document (e.g. the roles the action needs). */
export const forbidden = (zh = "无权进行此操作", en = "not allowed", extra?: Record<string, unknown>) =>
  new AppError(403, "FORBIDDEN", { "zh-CN": zh, en }, undefined, extra);
export const notFound = (zh = "未找到", en = "not found") => appError(404, "NOT_FOUND", zh, en);
