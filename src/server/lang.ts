import type { FastifyRequest } from "fastify";
import Negotiator from "negotiator";
import type { Lang } from "../engine/index.js";

/**
 * What kaohe can answer in, best first for a caller who accepts anything. A bare or other Chinese
 * (`zh`, `zh-TW`) is answered in zh-CN rather than falling through to English.
 */
const offered = ["zh-CN", "en", "zh"];

/** The language for an Accept-Language header value, honouring q-values (RFC 9110); Chinese by default. */
export function negotiateLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return "zh-CN";
  return new Negotiator({ headers: { "accept-language": acceptLanguage } }).language(offered) === "en"
    ? "en"
    : "zh-CN";
}

/** The language to answer a request in (its Accept-Language, negotiated). */
export const requestLang = (request: FastifyRequest): Lang =>
  negotiateLang(request.headers["accept-language"]);
