import type { FastifyRequest } from "fastify";
import type { Lang } from "../engine/index.js";

/** The language to answer a request in: English if Accept-Language starts with it, else Chinese (first). */
export const requestLang = (request: FastifyRequest): Lang =>
  /^en\b/i.test(request.headers["accept-language"] ?? "") ? "en" : "zh-CN";
