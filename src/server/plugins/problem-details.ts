import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError } from "../errors.js";
import { requestLang } from "../lang.js";

/**
 * One error format for every response (RFC 9457 problem details), with the message in the user's
 * language (Accept-Language) and, for validation errors, the offending field. 5xx details stay hidden.
 */
export function problemDetails(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const zh = requestLang(request) === "zh-CN";
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0]!;
      const field = issue.instancePath.replace(/^\//, "").replaceAll("/", ".") || undefined;
      return reply
        .status(400)
        .type("application/problem+json")
        .send({
          type: "https://kaohe.dev/problems/validation",
          title: zh ? "请求数据无效" : "Invalid request",
          status: 400,
          detail: `${field ?? ""}${field ? ": " : ""}${issue.message}`,
          field,
        });
    }
    if (error instanceof AppError) {
      return reply
        .status(error.status)
        .type("application/problem+json")
        .send({
          type: `https://kaohe.dev/problems/${error.code.toLowerCase().replaceAll("_", "-")}`,
          title: error.messages[zh ? "zh-CN" : "en"],
          status: error.status,
          code: error.code,
          ...(error.field ? { field: error.field } : {}),
          ...error.extra,
        });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error(error);
    return reply
      .status(status)
      .type("application/problem+json")
      .send({
        type: "about:blank",
        title: status >= 500 ? (zh ? "服务器内部错误" : "Internal server error") : error.message,
        status,
      });
  });
  app.setNotFoundHandler((request, reply) => {
    const zh = requestLang(request) === "zh-CN";
    reply
      .status(404)
      .type("application/problem+json")
      .send({ type: "about:blank", title: zh ? "未找到" : "Not found", status: 404, detail: request.url });
  });
}
