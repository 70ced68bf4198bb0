import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

declare module "fastify" {
  interface FastifyInstance {
    /** Sends the web app's index.html (the not-found handler uses it for client-side routes). */
    sendWebIndex(reply: FastifyReply): FastifyReply;
  }
}

import { projectRoot } from "../db/client.js";

/** Where `vite build` writes the web application (see vite.config.ts). */
export const webRoot = (): string => join(projectRoot(), "dist", "web");

/** What vite.config.ts writes where the page's nonce goes. */
const NONCE_PLACEHOLDER = "KAOHE_CSP_NONCE";

/**
 * Serves the web application at `/`: hashed assets under /assets/ cached for a year (their names change
 * with their content) and sent compressed, and index.html — for `/` and every client-side route — never cached, so a new
 * build reaches browsers at once (other paths reach it through the not-found handler, which keeps the
 * API's own 404 and 405 under /api/). The HTML is read once: it is a file of
 * the build, not state another process could change.
 */
export async function webApp(app: FastifyInstance): Promise<void> {
  const root = webRoot();
  const indexFile = join(root, "index.html");
  const index = existsSync(indexFile) ? readFileSync(indexFile, "utf8") : undefined;
  if (existsSync(join(root, "assets"))) {
    await app.register(fastifyStatic, {
      root: join(root, "assets"),
      prefix: "/assets/",
      immutable: true,
      maxAge: "365d",
      // The build's brotli and gzip copies (vite.config.ts), to a browser that accepts them.
      preCompressed: true,
      index: false,
      wildcard: true,
      decorateReply: false,
    });
  }
  const sendIndex = (reply: FastifyReply) => {
    if (!index) {
      return reply
        .status(503)
        .type("text/plain; charset=utf-8")
        .send("网页端尚未构建：请运行 npm run build / the web app is not built: run npm run build");
    }
    // A fresh nonce per page: antd inserts its styles with it, and only this response's policy allows it.
    const nonce = randomBytes(16).toString("base64");
    const policy = String(reply.getHeader("content-security-policy") ?? "");
    return reply
      .header("cache-control", "no-cache")
      .header(
        "content-security-policy",
        policy.replace("style-src 'self'", `style-src 'self' 'nonce-${nonce}'`),
      )
      .type("text/html; charset=utf-8")
      .send(index.replaceAll(NONCE_PLACEHOLDER, nonce));
  };
  app.get("/", { schema: { hide: true }, config: { anonymous: true, noCsrf: true } }, (_request, reply) =>
    sendIndex(reply),
  );
  app.decorate("sendWebIndex", sendIndex);
}
