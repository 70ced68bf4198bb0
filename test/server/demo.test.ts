import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { seedExampleDemo } from "../../src/server/demo.js";
import { signInAs } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";

let database: DatabaseHandle;
let app: FastifyInstance;
let demoAccounts: { username: string; password: string }[] = [];
beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({ database });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe("the example demo (the fixture the browser tests build on)", () => {
  it("seeds the example plan scored and under public notice, with working demo accounts, once", async () => {
    const accounts = await seedExampleDemo(database.db);
    demoAccounts = accounts;
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
    expect(await seedExampleDemo(database.db)).toEqual([]);
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
    // 市科技局's 喜报, drafted from the run, is on the portal.
    const bulletins = (await app.inject({ method: "GET", url: "/portal/bulletins" })).body;
    const link = /href="(\/portal\/bulletins\/[0-9a-f-]{36})">喜报！市科技局荣获([^<]*)</.exec(bulletins);
    expect(link?.[2]).toBe("2022年度市直单位工作目标责任制考核优秀单位及优胜单位！");
    const page = (await app.inject({ method: "GET", url: link![1]! })).body;
    expect(page).toContain("省级对口考核位次由第五位提升至第四位");
    const office = accounts.find((a) => a.username === "office")!;
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: "office", password: office.password },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(false);
  });

  it("its per-plan lists are paged, filtered and sorted: marks, claims, runs", async () => {
    const office = await signInAs(app, "office", demoAccounts.find((a) => a.username === "office")!.password);
    const planId = (await app.inject({ method: "GET", url: "/api/v1/public/plans" })).json().items[0].planId;
    const list = async (path: string) => {
      const r = await office.request("GET", `/api/v1/plans/${planId}/${path}`);
      expect(r.statusCode, path).toBe(200);
      return r.json() as { items: Record<string, unknown>[]; total: number; page: number; pageSize: number };
    };
    // Marks: 5 reviewers x 13 units on each expert-marked indicator, more than one default page.
    const all = await list("marks?pageSize=500");
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBeGreaterThan(50);
    expect((await list("marks")).items).toHaveLength(50);
    // Pages of 7 cover every mark exactly once, in a stable order.
    const seen: string[] = [];
    for (let p = 1; p <= Math.ceil(all.total / 7); p++) {
      const page = await list(`marks?pageSize=7&page=${p}&sort=-unit`);
      expect(page).toMatchObject({ total: all.total, page: p, pageSize: 7 });
      seen.push(...page.items.map((m) => `${m.unit}/${m.indicator}/${m.period}/${m.reviewer}`));
    }
    expect(new Set(seen).size).toBe(all.total);
    expect(seen[0]!.localeCompare(seen.at(-1)!)).toBeGreaterThan(0); // descending by unit
    const kjj = await list("marks?unit=kjj&pageSize=500");
    expect(kjj.total).toBe(all.items.filter((m) => m.unit === "kjj").length);
    expect(kjj.items.every((m) => m.unit === "kjj")).toBe(true);
    const reviewer = String(all.items[0]!.reviewer);
    expect((await list(`marks?reviewer=${reviewer}&pageSize=500`)).total).toBe(
      all.items.filter((m) => m.reviewer === reviewer).length,
    );
    expect((await office.request("GET", `/api/v1/plans/${planId}/marks?reviewer=nobody`)).statusCode).toBe(
      400,
    );
    // Claims: the demo's are all approved; a status filter and a text search narrow them.
    const claims = await list("claims?pageSize=500");
    expect(claims.total).toBeGreaterThan(0);
    expect((await list("claims?status=approved")).total).toBe(claims.total);
    expect((await list("claims?status=pending")).total).toBe(0);
    const item = String(claims.items[0]!.item);
    expect(
      (await list(`claims?q=${encodeURIComponent(item)}&pageSize=500`)).items.map((c) => c.item),
    ).toContain(item);
    // Runs, newest first by default; the summary never carries the run's inputs or results.
    const runs = await list("runs");
    expect(runs.total).toBe(1);
    expect(Object.keys(runs.items[0]!).sort()).toEqual([
      "createdAt",
      "engineVersion",
      "id",
      "inputHash",
      "planVersion",
    ]);
    expect(runs.items[0]!.planVersion).toBe(1);
    expect(await list("spot-checks")).toMatchObject({ items: [], total: 0 });
    expect(await list("target-adjustments")).toMatchObject({ items: [], total: 0 });
  });
});
