import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { seedDemo } from "../../src/server/demo.js";
import { testDatabase } from "../helpers/database.js";

let database: DatabaseHandle;
let app: FastifyInstance;
beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({ database });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe("kaohe serve --demo", () => {
  it("seeds the example plan scored and under public notice, with working demo accounts, once", async () => {
    const accounts = await seedDemo(database.db);
    expect(accounts.map((a) => a.username)).toEqual([
      "office",
      "reviewer",
      "reviewer2",
      "reviewer3",
      "reviewer4",
      "reviewer5",
      "kjj.reporter",
      "kjj.leader",
    ]);
    expect(await seedDemo(database.db)).toEqual([]);
    const list = (await app.inject({ method: "GET", url: "/api/v1/public/plans" })).json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      name: "2022年度市直单位工作目标责任制考核方案（示例）",
      status: "notice",
    });
    const results = (
      await app.inject({ method: "GET", url: `/api/v1/public/plans/${list[0].planId}/results` })
    ).json();
    expect(results.units).toHaveLength(13);
    // With the reviewers' marks and the bonus items, the demo gives the seed's result for 市科技局.
    expect(results.units.find((u: { unit: string }) => u.unit === "kjj")).toMatchObject({
      grade: "优秀",
      titles: ["优胜单位"],
    });
    const office = accounts.find((a) => a.username === "office")!;
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: "office", password: office.password },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(false);
  });
});
