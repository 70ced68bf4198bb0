import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { webRoot } from "../../src/server/plugins/web-app.js";
import { testDatabase } from "../helpers/database.js";

// The build's web app (npm test builds before it tests).
const assets = join(webRoot(), "assets");

let database: DatabaseHandle;
let app: FastifyInstance;
beforeAll(async () => {
  if (!existsSync(assets)) throw new Error(`${assets} is missing: run npm run build first`);
  database = await testDatabase();
  app = await buildApp({ database });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe("the web application's files", () => {
  it("sends a script as the build compressed it, to a browser that accepts it, and cached for a year", async () => {
    const script = readdirSync(assets).find((n) => n.endsWith(".js") && existsSync(join(assets, `${n}.br`)))!;
    const raw = readFileSync(join(assets, script));
    const get = (encoding?: string) =>
      app.inject({
        method: "GET",
        url: `/assets/${script}`,
        headers: encoding ? { "accept-encoding": encoding } : {},
      });

    const br = await get("gzip, deflate, br");
    expect(br.statusCode).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.rawPayload.equals(readFileSync(join(assets, `${script}.br`)))).toBe(true);
    expect(br.rawPayload.length).toBeLessThan(raw.length / 2);
    expect(br.headers["content-type"]).toMatch(/javascript/);
    expect(br.headers["cache-control"]).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);

    const gz = await get("gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.rawPayload.equals(readFileSync(join(assets, `${script}.gz`)))).toBe(true);

    const plain = await get();
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.rawPayload.equals(raw)).toBe(true);
  });

  it("sends the page itself uncached, with a fresh nonce in its policy each time", async () => {
    const one = await app.inject({ method: "GET", url: "/entry?plan=x" });
    const two = await app.inject({ method: "GET", url: "/" });
    for (const page of [one, two]) {
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      expect(page.headers["cache-control"]).toBe("no-cache");
    }
    const nonce = (r: typeof one) =>
      /'nonce-([^']+)'/.exec(String(r.headers["content-security-policy"]))?.[1];
    expect(nonce(one)).toBeTruthy();
    expect(nonce(one)).not.toBe(nonce(two));
    expect(one.body).toContain(`nonce="${nonce(one)}"`);
  });
});
