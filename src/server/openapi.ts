import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";
import { CSRF_HEADER, SESSION_COOKIE } from "./plugins/session.js";

/** How a caller authenticates, as OpenAPI security schemes: the session cookie and the CSRF header. */
export const securitySchemes = {
  session: {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description:
      "会话 Cookie：由 POST /api/v1/auth/login 设置（HttpOnly、SameSite=Strict），浏览器自动携带，无需在此填写。" +
      " / The session cookie, set by POST /api/v1/auth/login (HttpOnly, SameSite=Strict); the browser sends it by itself, nothing to enter here.",
  },
  csrf: {
    type: "apiKey",
    in: "header",
    name: CSRF_HEADER,
    description:
      "CSRF 令牌：登录响应（或 GET /api/v1/auth/me）中的 csrfToken，每个修改数据的请求（POST、PUT、PATCH、DELETE）都须携带。" +
      " / The csrfToken of the sign-in response (or of GET /api/v1/auth/me), required on every state change (POST, PUT, PATCH, DELETE).",
  },
} as const;

export const apiDescription = `目标责任制考核服务 / target-responsibility assessment service

**试用 / Try it out.** 1. 用 \`POST /api/v1/auth/login\` 登录：浏览器保存会话 Cookie \`${SESSION_COOKIE}\`，此后每次试用都会带上它。
2. 复制响应中的 \`csrfToken\`（也可从 \`GET /api/v1/auth/me\` 取得），点击 Authorize，填入 \`csrf\`：修改数据的请求据此携带 \`X-CSRF-Token\` 头。

1. Sign in with \`POST /api/v1/auth/login\`: the browser keeps the session cookie \`${SESSION_COOKIE}\` and sends it with every later call.
2. Copy \`csrfToken\` from the response (or from \`GET /api/v1/auth/me\`), click Authorize and enter it as \`csrf\`: state changes then carry the \`X-CSRF-Token\` header.

**错误 / Errors** are RFC 9457 problem details (\`application/problem+json\`) with a stable \`code\`, the message in the language of \`Accept-Language\` (q-values honoured; Chinese by default) and the offending \`field\`.`;

const problemSchema = {
  type: "object",
  description: "RFC 9457 problem details",
  required: ["type", "title", "status", "code"],
  properties: {
    type: { type: "string" },
    title: { type: "string", description: "消息（用户的语言）/ the message, in the user's language" },
    status: { type: "integer" },
    code: { type: "string", description: "稳定的错误代码 / a stable error code" },
    detail: { type: "string" },
    field: { type: "string", description: "出错的字段 / the offending field" },
  },
  additionalProperties: true,
};

type Transform = NonNullable<FastifyDynamicSwaggerOptions["transform"]>;

/**
 * Wraps a schema transform so that each operation states its security: none for a route open without
 * signing in, the session for a read, the session and the CSRF header for a state change; and every
 * operation documents its error responses as problem details.
 */
export const withSecurity =
  (transform: Transform): Transform =>
  (input) => {
    const result = transform(input);
    const schema = (result.schema ?? input.schema) as Record<string, unknown> | undefined;
    if (!schema || schema.hide) return result;
    const { config, method } = input.route;
    const methods = [method].flat();
    const changes = methods.some((m) => ["POST", "PUT", "PATCH", "DELETE"].includes(m));
    const security = config?.anonymous
      ? []
      : changes && !config?.noCsrf
        ? [{ session: [], csrf: [] }]
        : [{ session: [] }];
    // Without a response schema, swagger documents "200 Default Response" with no body: keep that.
    const response = (schema.response as Record<string, unknown> | undefined) ?? {
      200: { description: "Default Response", type: "null" },
    };
    return {
      ...result,
      schema: {
        ...schema,
        security,
        response: {
          ...response,
          default: {
            description: "错误（RFC 9457）/ error (RFC 9457 problem details)",
            content: { "application/problem+json": { schema: problemSchema } },
          },
        },
      },
    };
  };
