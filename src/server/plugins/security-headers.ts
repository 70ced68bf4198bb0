import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import helmet, { type HelmetOptions } from "helmet";

/**
 * Helmet's security headers (a strict Content-Security-Policy among them), computed once at start-up
 * and set on every reply. @fastify/helmet rebuilds helmet's middleware, re-parsing the policy, on
 * every request; none of kaohe's headers depend on the request, so once is enough.
 */
export function securityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  app.addHook("onRequest", async (_request, reply) => {
    reply.headers(headers);
  });
}
