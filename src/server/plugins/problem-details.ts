import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type {
  ConnectionError,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from "fastify";
import { z } from "zod";
import type { Lang } from "../../engine/index.js";
import { isDatabaseUnavailable } from "../db/failover.js";
import { AppError } from "../errors.js";
import { negotiateLang, requestLang } from "../lang.js";

/** An RFC 9457 problem document as kaohe sends it: always a stable `code`, the title in the user's language. */
interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  field?: string;
  [member: string]: unknown;
}

type Messages = Record<Lang, string>;

const problemType = (code: string) => `https://kaohe.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`;

function problem(
  status: number,
  code: string,
  messages: Messages,
  lang: Lang,
  more: Record<string, unknown> = {},
): Problem {
  return { type: problemType(code), title: messages[lang], status, code, ...more };
}

/** What fastify itself refuses (its error codes), as kaohe's codes and messages. */
const frameworkProblems: Record<string, { status: number; code: string; messages: Messages }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: "INVALID_JSON",
    messages: { "zh-CN": "请求体不是有效的 JSON", en: "the request body is not valid JSON" },
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: "INVALID_JSON",
    messages: {
      "zh-CN": "请求体为空，但内容类型声明为 JSON",
      en: "the request body is empty but its content type says JSON",
    },
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    messages: { "zh-CN": "此接口不接受该内容类型", en: "this endpoint does not accept that content type" },
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: "INVALID_CONTENT_LENGTH",
    messages: {
      "zh-CN": "请求体长度与 Content-Length 不符",
      en: "the request body does not match its Content-Length",
    },
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: "BODY_TOO_LARGE",
    messages: { "zh-CN": "请求体超过大小上限", en: "the request body is larger than the limit" },
  },
  FST_ERR_BAD_URL: {
    status: 400,
    code: "BAD_URL",
    messages: {
      "zh-CN": "网址无效：百分号编码不是有效的 UTF-8",
      en: "invalid URL: its percent-encoding is not valid UTF-8",
    },
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: "URI_TOO_LONG",
    messages: { "zh-CN": "网址中的路径参数过长", en: "a path parameter of the URL is too long" },
  },
};

/** Any other 4xx fastify or a plugin may raise: a code and a title by status. */
const statusProblems: Record<number, { code: string; messages: Messages }> = {
  400: { code: "BAD_REQUEST", messages: { "zh-CN": "请求无效", en: "bad request" } },
  404: { code: "NOT_FOUND", messages: { "zh-CN": "未找到", en: "Not found" } },
  405: { code: "METHOD_NOT_ALLOWED", messages: { "zh-CN": "不支持此请求方法", en: "method not allowed" } },
  406: { code: "NOT_ACCEPTABLE", messages: { "zh-CN": "无法提供所要求的格式", en: "not acceptable" } },
  408: { code: "REQUEST_TIMEOUT", messages: { "zh-CN": "请求超时", en: "request timeout" } },
  413: { code: "BODY_TOO_LARGE", messages: frameworkProblems.FST_ERR_CTP_BODY_TOO_LARGE!.messages },
  414: { code: "URI_TOO_LONG", messages: { "zh-CN": "网址过长", en: "URI too long" } },
  415: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    messages: frameworkProblems.FST_ERR_CTP_INVALID_MEDIA_TYPE!.messages,
  },
  429: { code: "TOO_MANY_REQUESTS", messages: { "zh-CN": "请求过于频繁", en: "too many requests" } },
  431: {
    code: "HEADERS_TOO_LARGE",
    messages: { "zh-CN": "请求头过大", en: "request header fields too large" },
  },
};

const methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

const internal: Messages = { "zh-CN": "服务器内部错误", en: "Internal server error" };

/** The database is unreachable or read-only for a moment (a failover, a restart): nothing was written. */
const databaseUnavailable: Messages = {
  "zh-CN": "数据库暂时不可用（可能正在主备切换），本次请求未写入任何数据，请稍后重试",
  en: "the database is unavailable for a moment (perhaps failing over); nothing from this request was written, please try again shortly",
};

/** The problem for an error fastify or a plugin raised (not an AppError, not a schema validation error). */
function frameworkProblem(error: FastifyError, request: FastifyRequest, lang: Lang): Problem {
  const known = error.code ? frameworkProblems[error.code] : undefined;
  if (known) {
    const more =
      known.status === 415 && request.headers["content-type"]
        ? { contentType: request.headers["content-type"] }
        : {};
    return problem(known.status, known.code, known.messages, lang, more);
  }
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status >= 500) return problem(status, "INTERNAL", internal, lang);
  const byStatus = statusProblems[status] ?? {
    code: `HTTP_${status}`,
    messages: { "zh-CN": STATUS_CODES[status] ?? "请求无效", en: STATUS_CODES[status] ?? "bad request" },
  };
  return problem(status, byStatus.code, byStatus.messages, lang, { detail: error.message });
}

/** The zod issue messages of each language (zod 4's locales), applied per request, never globally. */
const localeErrors = { "zh-CN": z.locales.zhCN().localeError, en: z.locales.en().localeError };

const where = { body: "body", querystring: "query", params: "path", headers: "header" } as const;
type Context = keyof typeof where;

/**
 * A schema validation error in the user's language: the failed part of the request is parsed again
 * with that language's zod error map (a per-parse map: a message the schema itself states still wins),
 * so messages never depend on a global locale. `field` names the first offending path.
 */
function validationProblem(error: FastifyError, request: FastifyRequest, lang: Lang): Problem {
  const context = (error.validationContext ?? "body") as Context;
  const schema = (request.routeOptions.schema as Record<string, unknown> | undefined)?.[context];
  const data = {
    body: request.body,
    querystring: request.query,
    params: request.params,
    headers: request.headers,
  }[context];
  const reparsed =
    schema instanceof z.ZodType ? z.safeParse(schema, data, { error: localeErrors[lang] }) : undefined;
  const issues = reparsed?.error
    ? reparsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }))
    : (error.validation ?? []).map((v) => ({
        path: v.instancePath.split("/").filter(Boolean),
        message: v.message ?? "",
      }));
  const errors = issues
    .slice(0, 20)
    .map((i) => ({ field: i.path.join(".") || undefined, message: i.message }));
  const first = errors[0];
  return problem(400, "VALIDATION", { "zh-CN": "请求数据无效", en: "Invalid request" }, lang, {
    detail: first ? `${first.field ? `${first.field}: ` : ""}${first.message}` : undefined,
    ...(first?.field ? { field: first.field } : {}),
    in: where[context] ?? context,
    errors,
  });
}

const send = (reply: FastifyReply, body: Problem) =>
  reply.status(body.status).type("application/problem+json").send(body);

/** The problem document for any error raised while handling a request. */
function problemFor(error: FastifyError | AppError, request: FastifyRequest): Problem {
  const lang = requestLang(request);
  if (error instanceof AppError)
    return problem(error.status, error.code, error.messages, lang, {
      ...(error.field ? { field: error.field } : {}),
      ...error.extra,
    });
  if (error.code === "FST_ERR_VALIDATION" || error.validation) return validationProblem(error, request, lang);
  if (isDatabaseUnavailable(error)) return problem(503, "DATABASE_UNAVAILABLE", databaseUnavailable, lang);
  return frameworkProblem(error, request, lang);
}

/**
 * One error format for every response (RFC 9457 problem details), with a stable `code`, the message in
 * the user's language (Accept-Language) and, for validation errors, the offending field. 5xx details
 * stay hidden (and are logged).
 */
export function problemDetails(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const body = problemFor(error, request);
    // A failover's 503 is expected and retried (Retry-After); its cause is logged as a warning, not an error.
    if (body.code === "DATABASE_UNAVAILABLE") {
      request.log.warn({ err: error }, "database unavailable");
      reply.header("retry-after", "1");
    } else if (body.status >= 500) request.log.error(error);
    return send(reply, body);
  });
  app.setNotFoundHandler((request, reply) => {
    const lang = requestLang(request);
    // A path that exists under other methods: 405 with the methods it has (RFC 9110 §15.5.6).
    const url = request.url.split("?")[0]!;
    // Outside the API, a page of the web app (its client-side routes): index.html, if the app is served.
    if (request.method === "GET" && !url.startsWith("/api/") && app.hasDecorator("sendWebIndex"))
      return app.sendWebIndex(reply);
    const allow = methods.filter((method) => app.findRoute({ method, url }));
    if (allow.length) {
      reply.header("allow", allow.join(", "));
      return send(
        reply,
        problem(405, "METHOD_NOT_ALLOWED", statusProblems[405]!.messages, lang, {
          detail: `${request.method} ${url}`,
          allow,
        }),
      );
    }
    return send(
      reply,
      problem(404, "NOT_FOUND", statusProblems[404]!.messages, lang, { detail: request.url }),
    );
  });
}

/**
 * Fastify's `frameworkErrors` option: the errors its router raises before any route runs (a URL whose
 * percent-encoding is not UTF-8, an over-long path parameter), answered as problem details too.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions["frameworkErrors"]> = (
  error,
  request,
  reply,
) => {
  send(
    reply as FastifyReply,
    frameworkProblem(error, request as FastifyRequest, requestLang(request as FastifyRequest)),
  );
};

/** A request Node's HTTP parser refused (no request object exists): the status, code and messages. */
function malformed(error: ConnectionError): { status: number; code: string; messages: Messages } {
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") return { status: 408, ...statusProblems[408]! };
  if (error.code === "HPE_HEADER_OVERFLOW") return { status: 431, ...statusProblems[431]! };
  if (error.code === "HPE_INVALID_URL" || error.code === "HPE_INVALID_METHOD")
    return {
      status: 400,
      code: "MALFORMED_REQUEST_LINE",
      messages: {
        "zh-CN": "请求行无效：网址中的非 ASCII 字符（如中文）须经百分号编码",
        en: "invalid request line: non-ASCII characters in the URL (such as Chinese) must be percent-encoded",
      },
    };
  return {
    status: 400,
    code: "MALFORMED_REQUEST",
    messages: {
      "zh-CN": "请求格式无效（HTTP 报文无法解析，例如请求头中含有控制字符）",
      en: "malformed request (the HTTP message cannot be parsed, e.g. a control character in a header)",
    },
  };
}

/**
 * Fastify's `clientErrorHandler` option: a request so malformed that Node's HTTP parser refused it
 * (raw non-ASCII in the URL, a control character in a header) gets a problem document on the socket,
 * in the language of its Accept-Language header if that much of it can be read.
 */
export function clientErrorHandler(error: ConnectionError, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  // Node passes the bytes it could not parse as a Buffer (the type says its JSON form).
  const raw: unknown = error.rawPacket;
  const header = (Buffer.isBuffer(raw) ? raw.toString("latin1") : "").match(
    /\r\naccept-language:[ \t]*([^\r\n]*)/i,
  )?.[1];
  const { status, code, messages } = malformed(error);
  const body = JSON.stringify(problem(status, code, messages, negotiateLang(header)));
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
}
